// Bundles the extension and the CLI with esbuild. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // yaml-language-server (ESM-only, ~2 MB with prettier) as its own bundle, loaded on the first clouds.yaml
  // (src/editor/schemaFeatures.ts). `module` first: jsonc-parser's `main` is a UMD build that fails bundled.
  { ...common, entryPoints: ['src/editor/yamlService.ts'], outfile: 'dist/yaml-service.js', mainFields: ['module', 'main'] },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
