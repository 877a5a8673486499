import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, unwrap, UnreachableError } from './api/client';
import { storeApiKey } from './api/session';
import { Layout } from './components/Layout';
import { Loading } from './components/ui';
import { ConnectionContext, type Connection, type ConnectionApi } from './lib/connection';
import { matchRoute, RouterProvider, useRouter } from './lib/router';
import { applyTheme, rememberTheme, storedTheme, systemTheme, type Theme } from './lib/theme';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { BuilderPage } from './pages/BuilderPage';
import { DeadLetterPage } from './pages/DeadLetterPage';
import { SignIn, Unreachable } from './pages/Gate';
import { OverviewPage } from './pages/OverviewPage';
import { RunDetailPage } from './pages/RunDetailPage';
import { RunsPage } from './pages/RunsPage';
import { SchedulesPage } from './pages/SchedulesPage';
import { WorkflowsPage } from './pages/WorkflowsPage';

function Routes() {
  const { path } = useRouter();
  let params: Record<string, string> | null;
  if (matchRoute('/', path)) return <OverviewPage />;
  if (matchRoute('/runs', path)) return <RunsPage />;
  if ((params = matchRoute('/runs/:id', path)))
    return <RunDetailPage key={params['id']} id={params['id'] ?? ''} />;
  if (matchRoute('/workflows', path)) return <WorkflowsPage />;
  if (matchRoute('/builder', path)) return <BuilderPage key="new" />;
  if ((params = matchRoute('/builder/:name', path)))
    return <BuilderPage key={params['name']} name={params['name']} />;
  if (matchRoute('/schedules', path)) return <SchedulesPage />;
  if (matchRoute('/dead-letter', path)) return <DeadLetterPage />;
  if (matchRoute('/api-keys', path)) return <ApiKeysPage />;
  return <p>Page not found.</p>;
}

/** Asks the gateway who we are: live, needs a key, or not there at all. */
async function probe(): Promise<Connection> {
  try {
    await unwrap(api.GET('/stats'));
    return { state: 'live' };
  } catch (err) {
    if (err instanceof UnreachableError) return { state: 'unreachable', message: err.message };
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return { state: 'sign-in' };
    // Reachable but unhappy (e.g. 503 while its database restarts): pages show their errors.
    return { state: 'live' };
  }
}

export function App() {
  const [connection, setConnection] = useState<Connection>({ state: 'checking' });
  const [theme, setTheme] = useState<Theme>(() => storedTheme() ?? systemTheme());
  useEffect(() => applyTheme(theme), [theme]);

  const check = useCallback(() => {
    setConnection({ state: 'checking' });
    void probe().then(setConnection);
  }, []);
  useEffect(check, [check]);

  const client = useMemo(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 1,
            staleTime: 2000,
          },
        },
        queryCache: new QueryCache({
          onError: (err) => {
            if (err instanceof UnreachableError)
              setConnection((c) => (c.state === 'demo' ? c : { state: 'unreachable', message: err.message }));
            else if (err instanceof ApiError && err.status === 401)
              setConnection({ state: 'sign-in', message: 'Your key was refused; sign in again.' });
          },
        }),
      }),
    [],
  );

  const value: ConnectionApi = {
    connection,
    demo: connection.state === 'demo',
    retry: check,
    useDemo: () => {
      client.clear();
      setConnection({ state: 'demo' });
    },
    signOut: () => {
      storeApiKey(null);
      client.clear();
      setConnection({ state: 'sign-in' });
    },
    signIn: async (key) => {
      storeApiKey(key);
      const next = await probe();
      if (next.state === 'sign-in') {
        storeApiKey(null);
        setConnection({ state: 'sign-in', message: 'That key was not accepted.' });
      } else {
        client.clear();
        setConnection(next);
      }
    },
    markUnreachable: (message) => setConnection({ state: 'unreachable', message }),
  };

  let body: React.ReactNode;
  switch (connection.state) {
    case 'checking':
      body = <Loading what="Connecting to the gateway" />;
      break;
    case 'sign-in':
      body = <SignIn message={connection.message} />;
      break;
    case 'unreachable':
      body = <Unreachable message={connection.message} />;
      break;
    case 'live':
    case 'demo':
      body = (
        <Layout
          theme={theme}
          onTheme={(t) => {
            rememberTheme(t);
            setTheme(t);
          }}
        >
          <Routes />
        </Layout>
      );
      break;
  }
  return (
    <QueryClientProvider client={client}>
      <ConnectionContext.Provider value={value}>
        <RouterProvider>{body}</RouterProvider>
      </ConnectionContext.Provider>
    </QueryClientProvider>
  );
}
