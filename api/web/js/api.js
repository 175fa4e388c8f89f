// api.js: the only door to the server: the public /v1 JSON API with the bearer token
// the person signed in with.  The token lives in sessionStorage: it is gone when the
// tab or browser closes, and no other site can read it.  Every failure becomes an
// ApiError with the API's status, code, message, pointer and problems.

const TOKEN_KEY = 'handen.session';

export class ApiError extends Error {
  constructor(status, code, message, pointer, problems) {
    super(message);
    this.status = status;
    this.code = code;
    this.pointer = pointer || null;
    this.problems = problems || (pointer ? [{pointer, message}] : []);
  }
}

// The signed-in session {token, role, school, schoolName, organisation,
// organisationName, districts} (from GET /v1/me), or null.
export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(TOKEN_KEY));
  } catch {
    return null;
  }
}

export function saveSession(value) {
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(value));
}

export function endSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem('handen.round');
}

// Someone to tell when the token stopped working (the app signs out).
let onUnauthorized = null;
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

// `body` is sent as JSON, or as it is when `type` names its media type (a spreadsheet).
async function send(method, path, body, token, accept, type) {
  const headers = {Accept: accept || 'application/json'};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = type || 'application/json';
  let reply;
  try {
    reply = await fetch(path, {method, headers,
                               body: body === undefined ? undefined : type ? body : JSON.stringify(body),
                               cache: 'no-store', credentials: 'omit'});
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
  if (reply.ok) return reply;
  let error = null;
  try {
    error = (await reply.json()).error;
  } catch {
    error = null;
  }
  const failure = new ApiError(reply.status, error?.code || 'http', error?.message || reply.statusText,
                               error?.pointer, error?.problems);
  // Only the signed-in token's failure ends the session; a token being tried does not.
  if (reply.status === 401 && token && token === session()?.token && onUnauthorized) onUnauthorized(failure);
  throw failure;
}

// One call with the session's token (or `token`); the parsed JSON body, or null.
export async function api(method, path, body, token) {
  const reply = await send(method, path, body, token || session()?.token);
  const text = await reply.text();
  return text ? JSON.parse(text) : null;
}

// Posts `text` (a CSV file as read) with its media type; the parsed JSON answer.
export async function postText(path, text, type) {
  const reply = await send('POST', path, text, session()?.token, undefined, type);
  const answer = await reply.text();
  return answer ? JSON.parse(answer) : null;
}

// Every item of a paged list: follows next_cursor until the last page.
export async function listAll(path, params, token) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 1000; page++) {
    const query = new URLSearchParams({...(params || {}), limit: '500'});
    if (cursor) query.set('cursor', cursor);
    const data = await api('GET', `${path}?${query}`, undefined, token);
    items.push(...data.items);
    cursor = data.next_cursor;
    if (!cursor) break;
  }
  return items;
}

// Downloads an export (it needs the token, so a plain link cannot fetch it) and
// hands it to the browser as a file called `filename`.
export async function download(path, filename) {
  const reply = await send('GET', path, undefined, session()?.token, '*/*');
  const blob = await reply.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Who the token belongs to, as GET /v1/me says: the role and its scope, named, known
// before the token's school or organisation has any data.
export async function identify(token) {
  const me = await api('GET', '/v1/me', undefined, token);
  return {
    role: me.role,
    school: me.school?.id || null,
    schoolName: me.school?.name || null,
    organisation: me.organisation?.id || null,
    organisationName: me.organisation?.name || null,
    districts: me.districts || null,
  };
}
