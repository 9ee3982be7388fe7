// What dist/index.js runs. src/main.ts only exports run(), so that @github/local-action and the
// tests can import it and call it themselves. Source maps are turned on first and the action is
// loaded after, as its own chunk: Node reads the map of a file only if it loads after that, so a
// stack trace from dist/ names src/ files and lines (dist/<n>.index.js.map).
process.setSourceMapsEnabled(true);
const { run } = await import('./main.js');
await run();
