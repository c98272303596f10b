// Bundles the extension and the CLI with esbuild. `--watch` rebuilds on change; `--out DIR` writes the
// bundles to DIR instead of dist/; `--metafile DIR` writes each bundle's esbuild metafile (its import
// graph) to DIR/<bundle>.json (test/unit/build/lazyBundles.test.ts reads them).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const watch = process.argv.includes('--watch');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const metaDir = arg('--metafile');
const out = arg('--out') ?? 'dist';
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  metafile: Boolean(metaDir),
};

// Two bundles are loaded on first use, each by one `import()` that resolves to a stub doing a plain
// CommonJS `require` of the bundle beside the importer (like the one of dist/yaml-service.js, not an
// ES import through the extension host's loader):
//  - dist/app.js, the extension proper (src/app.ts): src/extension.ts's `import('./app')` — the entry,
//    dist/extension.js, holds only the command stubs and the tree view (src/services/shell.ts);
//  - dist/kube.js, the Kubernetes code (src/kube/api.ts and @kubernetes/client-node, ~1.5 MB):
//    src/services/kube.ts's `import('../kube/api')`, inside dist/app.js.
// A static import of either from elsewhere would still bundle it; eslint forbids those, and
// test/unit/build/lazyBundles.test.ts checks the built bundles.
const LAZY = [
  { specifier: './app', importer: path.join('src', 'extension.ts'), bundle: './app.js' },
  { specifier: '../kube/api', importer: path.join('src', 'services', 'kube.ts'), bundle: './kube.js' },
];
const lazyBundles = {
  name: 'lazy-bundles',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\/(app|kube\/api)$/ }, (args) => {
      const lazy = LAZY.find((l) => l.specifier === args.path && path.normalize(args.importer).endsWith(l.importer));
      return lazy && args.kind === 'dynamic-import' ? { path: lazy.bundle, namespace: 'lazy-bundle' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-bundle' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/(app|kube)\.js$/, namespace: 'lazy-bundle' }, (args) => ({ path: args.path, external: true }));
  },
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: `${out}/extension.js`, external: ['vscode'], plugins: [lazyBundles] },
  { ...common, entryPoints: ['src/app.ts'], outfile: `${out}/app.js`, external: ['vscode'], plugins: [lazyBundles] },
  { ...common, entryPoints: ['src/kube/api.ts'], outfile: `${out}/kube.js` },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: `${out}/cli.js`, banner: { js: '#!/usr/bin/env node' } },
  // yaml-language-server (ESM-only, ~2 MB with prettier) as its own bundle, loaded on the first clouds.yaml
  // (src/editor/schemaFeatures.ts). `module` first: jsonc-parser's `main` is a UMD build that fails bundled.
  { ...common, entryPoints: ['src/editor/yamlService.ts'], outfile: `${out}/yaml-service.js`, mainFields: ['module', 'main'] },
  // The analysis worker (src/services/analysis/worker.ts): run by a worker_threads Worker that the first
  // analysed document starts (src/services/analysis/client.ts); it loads yaml-service.js on its first YAML call.
  { ...common, entryPoints: ['src/services/analysis/worker.ts'], outfile: `${out}/analysis-worker.js` },
];

const writeMeta = (b, result) => {
  if (!metaDir || !result.metafile) return;
  fs.mkdirSync(metaDir, { recursive: true });
  fs.writeFileSync(path.join(metaDir, `${path.basename(b.outfile, '.js')}.json`), JSON.stringify(result.metafile));
};

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map(async (b) => writeMeta(b, await esbuild.build(b))));
}
