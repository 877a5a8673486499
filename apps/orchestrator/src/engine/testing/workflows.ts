/** A chain of `length` steps `s1 → s2 → …` on the simulated runtime, as YAML (tests only). */
export function chainYaml(length: number): string {
  const steps = Array.from({ length }, (_, i) =>
    i === 0
      ? `  - id: s1\n    prompt: s1\n`
      : `  - id: s${i + 1}\n    depends_on: [s${i}]\n    prompt: s${i + 1}\n`,
  );
  return `name: Chain\nruntime: simulated\nsteps:\n${steps.join('')}`;
}
