// Types of scripts/lib/nats-install.util.cjs for TypeScript callers (the deploy tests).
export interface Machine {
  platform?: NodeJS.Platform;
  uid?: number;
  searchPath?: string;
}
export function which(name: string, searchPath?: string): string | undefined;
export function installPlan(machine?: Machine): { description: string; commands: string[][] } | undefined;
export function missingNatsMessage(natsUrl: string, machine?: Machine): string;
export function installNatsServer(log: (message: string) => void): boolean;
