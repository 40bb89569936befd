// Quality Month's service worker: keeps the app's own files on the phone so that it opens
// without a connection. It leaves /api/ alone: the app keeps its own copies of what it
// read and its outbox of writes (src/offline/), so this worker never serves stale data as
// fresh and never sends a write.
//
// `cargo xtask` builds replace the two lines below with the build's version and its files
// (xtask/src/build.rs, `stamp_service_worker`); a new build therefore means a new worker,
// which drops the old build's files when it takes over.
const VERSION = 'dev';
const SHELL = ['/index.html'];

const CACHE = `qm-shell-${VERSION}`;
// How long a page load waits for the network before the kept shell is used instead.
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      // Safe: every file of a build has its own name, and the page that is already open
      // has loaded all of its own.
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith('qm-shell-') && name !== CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // The staff app (its own bundle, personal data) is never kept or served by this worker.
  const staff = url.pathname === '/staff' || url.pathname.startsWith('/staff/');
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/') || staff) {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else {
    event.respondWith(caches.match(request).then((kept) => kept || fetch(request)));
  }
});

// Every path of the app is the same page: the network's copy when it comes in time (so a
// new release shows at once), else the kept one.
async function page(request) {
  const network = fetch(request);
  network.catch(() => {}); // a late failure after the kept copy was used is no error
  const timeout = new Promise((resolve) => setTimeout(resolve, NAVIGATION_TIMEOUT_MS));
  try {
    const response = await Promise.race([network, timeout]);
    if (response && response.ok) return response;
  } catch (_) {
    // Offline: fall through to the kept copy.
  }
  const kept = await caches.match('/index.html');
  return kept || network;
}
