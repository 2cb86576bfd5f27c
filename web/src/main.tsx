/**
 * The Palisade dashboard: a preact app over the REST API of `palisade serve` (docs/api.md,
 * docs/dashboard.md). Hash routes, one view per route; the API module owns the token.
 */
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { clearSession, getSession, onUnauthorized } from './api.js';
import { Empty } from './load.js';
import { href, navigate, type Route, useRoute } from './router.js';
import { Compliance, FRAMEWORKS, Inventory } from './views/cluster-views.js';
import { Exceptions, Scans } from './views/exceptions.js';
import { FindingPage, Findings } from './views/findings.js';
import { Network, Paths } from './views/graphs.js';
import { Login } from './views/login.js';
import { Overview } from './views/overview.js';
import { Rbac, SubjectPage } from './views/rbac.js';

const LAST_CLUSTER = 'palisade.cluster';

/** Views of one cluster: the nav links reopen the cluster last looked at. */
const CLUSTER_VIEWS = new Set(['inventory', 'compliance', 'rbac', 'network', 'paths']);

function View({ route }: { route: Route }) {
  const [view, a, b, c, d, e] = route.path;
  const q = route.query;
  switch (view) {
    case undefined:
    case 'overview':
      return <Overview cluster={q.get('cluster') || undefined} />;
    case 'findings':
      return a !== undefined && b !== undefined ? <FindingPage cluster={a} id={b} /> : <Findings query={q} />;
    case 'inventory':
      return <Inventory cluster={a} />;
    case 'compliance':
      return <Compliance cluster={a} framework={b ?? FRAMEWORKS[0]?.id ?? 'cis-1.12'} status={q.get('status') ?? ''} />;
    case 'rbac':
      return a !== undefined && b === 'subject' && c && d && e ? <SubjectPage cluster={a} kind={c} namespace={d} name={e} /> : <Rbac cluster={a} query={q} />;
    case 'network':
      return <Network cluster={a} query={q} />;
    case 'paths':
      return <Paths cluster={a} query={q} />;
    case 'exceptions':
      return <Exceptions query={q} />;
    case 'scans':
      return <Scans query={q} />;
    default:
      return (
        <section>
          <h1 id="view-title" tabIndex={-1}>
            Not found
          </h1>
          <Empty>
            There is no view at <code>{location.hash}</code>. Go to the <a href="#/overview">overview</a>.
          </Empty>
        </section>
      );
  }
}

const NAV: readonly { id: string; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'findings', label: 'Findings' },
  { id: 'inventory', label: 'Inventory' },
  { id: 'compliance', label: 'Compliance' },
  { id: 'rbac', label: 'RBAC' },
  { id: 'network', label: 'Network' },
  { id: 'paths', label: 'Attack paths' },
  { id: 'exceptions', label: 'Exceptions' },
  { id: 'scans', label: 'Scans' },
];

function App() {
  const route = useRoute();
  const session = getSession();
  const view = route.path[0] ?? 'overview';
  const main = useRef<HTMLElement>(null);
  const routeKey = `${route.path.join('/')}?${route.query.toString()}`;

  if (CLUSTER_VIEWS.has(view) && route.path[1]) sessionStorage.setItem(LAST_CLUSTER, route.path[1]);
  const lastCluster = sessionStorage.getItem(LAST_CLUSTER);

  const first = useRef(true);
  // A new view moves the focus to its heading, so keyboard and screen-reader users start there
  // (not on the first load: the browser's own start is right then).
  useEffect(() => {
    const h = main.current?.querySelector<HTMLElement>('#view-title');
    if (h && !first.current) h.focus({ preventScroll: false });
    first.current = false;
    document.title = `${h?.textContent ?? 'Palisade'} · Palisade`;
  }, [route.path.join('/')]);

  if (view === 'login' || !session) {
    const next = view === 'login' ? (route.query.get('next') ?? '#/overview') : location.hash || '#/overview';
    return <Login next={next} expired={route.query.get('expired') === '1'} />;
  }
  return (
    <>
      {/* A button, not a link to #main: the hash is the route. */}
      <button type="button" class="skip" onClick={() => main.current?.focus()}>
        Skip to the content
      </button>
      <header class="top">
        <a class="brand" href="#/overview">
          Palisade
        </a>
        <nav aria-label="views">
          <ul>
            {NAV.map((n) => (
              <li key={n.id}>
                <a href={CLUSTER_VIEWS.has(n.id) && lastCluster ? href([n.id, lastCluster]) : `#/${n.id}`} aria-current={view === n.id ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {session.name || 'signed in'} ({session.role})
          </span>
          <button
            type="button"
            onClick={() => {
              clearSession();
              navigate('#/login');
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <View key={routeKey} route={route} />
      </main>
    </>
  );
}

onUnauthorized(() => {
  const here = location.hash.startsWith('#/login') ? '#/overview' : location.hash || '#/overview';
  navigate(href(['login'], { next: here, expired: '1' }));
});

const root = document.getElementById('app');
if (root) render(<App />, root);
