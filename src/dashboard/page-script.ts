// GET /app.js: the page's script, five plain-JavaScript parts in one strict-mode function scope.
// It opens the event stream once the document is parsed (the script is `defer`).
import { CLIENT_ANSI } from './client-ansi.js';
import { CLIENT_CORE } from './client-core.js';
import { CLIENT_LOGS } from './client-logs.js';
import { CLIENT_METRICS } from './client-metrics.js';
import { CLIENT_RESOURCES } from './client-resources.js';

/** The whole script. */
export const PAGE_SCRIPT = `(() => {
'use strict';
${CLIENT_CORE}
${CLIENT_RESOURCES}
${CLIENT_METRICS}
${CLIENT_ANSI}
${CLIENT_LOGS}
setupLogs();
connect();
})();
`;
