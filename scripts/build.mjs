// Bundles the extension and the CLI with esbuild. `--watch` rebuilds on change; `--out DIR` writes the
// bundles to DIR instead of dist/; `--metafile DIR` writes each bundle's esbuild metafile (its import
// graph) to DIR/<bundle>.json (test/unit/build.test.ts reads them).
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

// The Kubernetes code (src/kube/api.ts and @kubernetes/client-node, ~1.5 MB) is its own bundle,
// dist/kube.js, loaded on first use: the one `import('../kube/api')` of src/services/kube.ts resolves
// to a stub that does `require('./kube.js')` (beside dist/extension.js; a plain CommonJS require, like
// the one of dist/yaml-service.js, not an ES import through the extension host's loader). A static
// import of src/kube from elsewhere would still bundle it; eslint forbids those, and
// test/unit/build.test.ts checks the built extension.js.
const lazyKube = {
  name: 'lazy-kube',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/kube\/api$/ }, (args) =>
      args.kind === 'dynamic-import' && path.normalize(args.importer).endsWith(path.join('src', 'services', 'kube.ts'))
        ? { path: 'kube-bundle', namespace: 'lazy-kube' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-kube' }, () => ({ contents: "module.exports = require('./kube.js');", loader: 'js' }));
    build.onResolve({ filter: /^\.\/kube\.js$/, namespace: 'lazy-kube' }, () => ({ path: './kube.js', external: true }));
  },
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: `${out}/extension.js`, external: ['vscode'], plugins: [lazyKube] },
  { ...common, entryPoints: ['src/kube/api.ts'], outfile: `${out}/kube.js` },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: `${out}/cli.js`, banner: { js: '#!/usr/bin/env node' } },
  // yaml-language-server (ESM-only, ~2 MB with prettier) as its own bundle, loaded on the first clouds.yaml
  // (src/editor/schemaFeatures.ts). `module` first: jsonc-parser's `main` is a UMD build that fails bundled.
  { ...common, entryPoints: ['src/editor/yamlService.ts'], outfile: `${out}/yaml-service.js`, mainFields: ['module', 'main'] },
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
