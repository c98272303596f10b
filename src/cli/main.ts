// Placeholder replaced by the CLI in the foundation work.
process.stdout.write('cluster-stacks\n');
