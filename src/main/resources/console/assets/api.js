// The public JSON API, with the admin key this tab signed in with. The key lives in sessionStorage
// only: this tab, until sign-out or the tab closes; never in a URL, a cookie or a log.

const KEY_NAME = 'conversion-rules.admin-key';

export class ApiError extends Error {
  /** status 0 means the service could not be reached at all. */
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

export function signedIn() {
  return sessionStorage.getItem(KEY_NAME) !== null;
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_NAME);
}

/** Tries a key before keeping it: resolves when it is an admin key, else throws what is wrong with it. */
export async function signIn(key) {
  const trimmed = key.trim();
  if (trimmed === '') {
    throw new ApiError(400, 'Type or paste an admin key.');
  }
  try {
    await request('GET', '/v1/rules', undefined, trimmed);
  } catch (error) {
    if (error.status === 401) {
      throw new ApiError(401, 'This key is not one of this service\'s keys. Check that it was copied whole '
        + '(keys the service generated start with ak_ for admin, wk_ for write).');
    }
    if (error.status === 403) {
      throw new ApiError(403, 'This is a write key: it sends events but cannot open the console. '
        + 'Sign in with an admin key.');
    }
    throw error;
  }
  sessionStorage.setItem(KEY_NAME, trimmed);
}

/** Calls the API with the kept key. A 401 means the key stopped working: listeners sign the tab out. */
export async function api(method, path, body) {
  const key = sessionStorage.getItem(KEY_NAME);
  if (key === null) {
    throw signedOut('Sign in to continue.');
  }
  try {
    return await request(method, path, body, key);
  } catch (error) {
    if (error.status === 401) {
      forgetKey();
      throw signedOut('The service no longer accepts the key this tab signed in with. Sign in again.');
    }
    throw error;
  }
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const patch = (path, body) => api('PATCH', path, body);

function signedOut(message) {
  const error = new ApiError(401, message);
  window.dispatchEvent(new CustomEvent('console:signed-out', {detail: message}));
  return error;
}

async function request(method, path, body, key) {
  const headers = {'Authorization': 'Bearer ' + key, 'Accept': 'application/json'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', redirect: 'error',
    });
  } catch (cause) {
    throw new ApiError(0, 'The service cannot be reached. Is it running?');
  }
  const text = await response.text();
  let data = null;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch (cause) {
      data = null;
    }
  }
  if (!response.ok) {
    const detail = data && typeof data.detail === 'string' ? data.detail : response.statusText;
    throw new ApiError(response.status, detail || ('HTTP ' + response.status), data);
  }
  return data;
}
