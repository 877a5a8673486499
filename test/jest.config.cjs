// Deploy checks: the compose file, Kubernetes manifests, Dockerfile, monitoring config and the
// launcher (scripts/lib/stack.cjs), checked statically or with stand-in apps — no Docker engine.
module.exports = {
  ...require('../jest.preset.cjs')(__dirname),
  testMatch: ['<rootDir>/deploy/**/*.spec.ts'],
};
