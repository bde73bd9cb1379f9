// For a person: `cd browser && npx vite` serves the demo (/demo/) and the harness (/harness/) with live
// reload; /data/ is a slice of the shared GloVe dataset (or a synthetic set), as in the browser test.
import { defineConfig } from 'vite';
import { datasetSlice } from './node/dataset-slice.js';
import { pagesConfig } from './node/pages-config.js';
import { PAGES_OUT_DIR } from './node/paths.js';
import { dataFiles } from './node/data-files.js';

const { configFile: _inlineOnly, ...pages } = pagesConfig(PAGES_OUT_DIR);

export default defineConfig({
  ...pages,
  plugins: [
    {
      name: 'annkit-demo-data',
      configureServer(server) {
        const files = dataFiles(datasetSlice(10_000, 100));
        server.middlewares.use((req, res, next) => {
          const body = files.get((req.url ?? '').split('?')[0]);
          if (body === undefined) return next();
          res.setHeader('content-type', typeof body === 'string' ? 'application/json' : 'application/octet-stream');
          res.end(body);
        });
      },
    },
  ],
});
