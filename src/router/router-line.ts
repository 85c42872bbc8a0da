// The heroku[router] log line (HEROKU.md §3.3): fixed field order, quoted path and fwd.
import { ROUTER_ERRORS, type RouterCode } from './router-errors.js';

/** Everything one router line reports. Absent values print empty, as Heroku does (`dyno= connect=`). */
export interface RouterLineFields {
  /** Set for errors and warnings; absent for `at=info`. */
  code?: RouterCode;
  /** H26's `cause="…"`. */
  cause?: string;
  method: string;
  /** Path and query. */
  path: string;
  /** The Host header. */
  host: string;
  requestId: string;
  /** The X-Forwarded-For value sent to the dyno. */
  fwd: string;
  /** `web.1`, or '' when no dyno was involved. */
  dyno?: string;
  connectMs?: number;
  serviceMs?: number;
  status: number;
  /** Bytes from the dyno to the client. */
  bytes?: number;
}

// Render a duration the Heroku way: whole milliseconds with the unit, or nothing.
function ms(value: number | undefined): string {
  return value === undefined ? '' : `${Math.max(0, Math.round(value))}ms`;
}

// Render one router line (without timestamp or source; the printer adds those). One template, no arrays.
export function formatRouterLine(f: RouterLineFields): string {
  const tail = `method=${f.method} path="${f.path}" host=${f.host} request_id=${f.requestId} fwd="${f.fwd}" dyno=${f.dyno ?? ''} connect=${ms(f.connectMs)} service=${ms(f.serviceMs)} status=${f.status} bytes=${f.bytes ?? ''} protocol=http`;
  if (!f.code) return `at=info ${tail}`;
  const info = ROUTER_ERRORS[f.code];
  const sock = info.sock ? `sock=${info.sock} ` : '';
  const cause = f.cause === undefined ? '' : ` cause="${f.cause}"`;
  return `${sock}at=${info.at} code=${f.code} desc="${info.desc}"${cause} ${tail}`;
}
