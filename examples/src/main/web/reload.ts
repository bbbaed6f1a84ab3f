// The dev server's live-reload page: hears the hot-reload notices of topic 1 over HBTP on the page's own origin
// (WebSocket at /hbtp), lists them, and reloads the preview of a served page (/files/<path>, the path from the
// URL's fragment) when a notice names that page or a file the page loaded from the served directory.
import {HbtpClient} from '@dx-reactor/hbtp-client';

const TOPIC_RELOAD = 1;
const FILES = '/files/';
/** The list keeps the newest notices only, so a page left open for days does not grow without bound. */
const KEPT = 500;

interface Notice {
  kind: string;
  path: string;
}

const preview = document.querySelector<HTMLIFrameElement>('#preview')!;
const changes = document.querySelector<HTMLOListElement>('#changes')!;
const status = document.querySelector<HTMLElement>('#status')!;
const form = document.querySelector<HTMLFormElement>('#open')!;
const field = form.elements.namedItem('path') as HTMLInputElement;
const decoder = new TextDecoder();

/** {"kind":"MODIFIED","path":"css/site.css"}, or undefined for anything else. */
function parse(bytes: Uint8Array): Notice | undefined {
  try {
    const notice: unknown = JSON.parse(decoder.decode(bytes));
    if (typeof notice === 'object' && notice !== null && 'kind' in notice && 'path' in notice
        && typeof notice.kind === 'string' && typeof notice.path === 'string') {
      return {kind: notice.kind, path: notice.path};
    }
  } catch {
    // not a notice: ignored below
  }
  return undefined;
}

/** The served file a URL of this origin names, e.g. "css/site.css" for /files/css/site.css; else undefined. */
function servedName(url: string): string | undefined {
  const parsed = new URL(url, location.href);
  if (parsed.origin !== location.origin || !parsed.pathname.startsWith(FILES)) {
    return undefined;
  }
  try {
    const name = decodeURIComponent(parsed.pathname.slice(FILES.length));
    return name === '' || name.endsWith('/') ? `${name}index.html` : name;
  } catch {
    return undefined;
  }
}

/** The served files the preview shows now: its document and everything it loaded from the served directory. */
function shown(): Set<string> {
  const names = new Set<string>();
  try {
    const frame = preview.contentWindow;
    if (!frame) {
      return names;
    }
    for (const url of [frame.location.href, ...frame.performance.getEntriesByType('resource').map((e) => e.name)]) {
      const name = servedName(url);
      if (name !== undefined) {
        names.add(name);
      }
    }
  } catch {
    // the preview went to another origin: nothing of it is known
  }
  return names;
}

/** Whether a change of {@code path} touches {@code name}: the file itself, or a folder it is in ("" is all). */
function touches(path: string, name: string): boolean {
  return path === '' || name === path || name.startsWith(`${path}/`);
}

/** Previews the served file {@code name}; "." and ".." are dropped, so the preview stays under /files/. */
function open(name: string): void {
  const segments = name.split('/').filter((s) => s !== '.' && s !== '..');
  field.value = segments.join('/');
  preview.src = FILES + segments.map(encodeURIComponent).join('/');
}

/** Lists {@code notice}; reloads the preview when it names what the preview shows, or when changes may be missed. */
function heard(notice: Notice, mayHaveMissed: boolean): void {
  const names = shown();
  const reload = mayHaveMissed || [...names].some((name) => touches(notice.path, name));
  const item = document.createElement('li');
  item.dataset.kind = notice.kind;
  item.dataset.path = notice.path;
  item.dataset.reloaded = String(reload);
  item.textContent = `${new Date().toLocaleTimeString()} ${notice.kind} ${notice.path === '' ? '(everything)' : notice.path}`
    + (reload ? ' - preview reloaded' : '');
  changes.prepend(item);
  while (changes.children.length > KEPT) {
    changes.lastElementChild!.remove();
  }
  if (reload) {
    preview.contentWindow?.location.reload();
  }
}

function fromFragment(): string {
  try {
    const name = decodeURIComponent(location.hash.slice(1));
    return name === '' ? 'index.html' : name;
  } catch {
    return 'index.html';
  }
}

async function main(): Promise<void> {
  open(fromFragment());
  window.addEventListener('hashchange', () => open(fromFragment()));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = encodeURIComponent(field.value.trim());
  });

  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/hbtp`;
  // A state after the first one comes after a reconnect or when the server skipped this page's backlog: changes
  // may have been missed then, so the preview is reloaded whatever the state names.
  let synced = false;
  const client = await HbtpClient.connect(url, {
    reconnect: {initialDelayMs: 200, maxDelayMs: 5000},
    onDisconnect: (e) => {
      status.textContent = `disconnected: ${e.message}; reconnecting`;
      document.body.dataset.state = 'reconnecting';
    },
    onReconnect: () => {
      status.textContent = 'live again';
      document.body.dataset.state = 'live';
    },
  });
  client.subscribe(TOPIC_RELOAD, {
    onSync: (_version, state) => {
      const notice = parse(state);
      if (synced && notice) {
        heard(notice, true);
      }
      synced = true;
      status.textContent = 'live';
      document.body.dataset.state = 'live';
    },
    onDelta: (_base, _version, delta) => {
      const notice = parse(delta);
      if (notice) {
        heard(notice, false);
      }
    },
  });
}

main().catch((e) => {
  status.textContent = `could not connect: ${e}`;
  document.body.dataset.state = 'failed';
});
