import { useState, type ReactNode } from 'react';
import { useDeadLetters } from '../api/queries';
import { storedApiKey } from '../api/session';
import { useConnection } from '../lib/connection';
import { Link, useRouter } from '../lib/router';
import type { Theme } from '../lib/theme';

const NAV = [
  { to: '/', label: 'Overview' },
  { to: '/runs', label: 'Runs' },
  { to: '/workflows', label: 'Workflows' },
  { to: '/builder', label: 'Builder' },
  { to: '/schedules', label: 'Schedules' },
  { to: '/dead-letter', label: 'Dead letter' },
  { to: '/api-keys', label: 'API keys' },
];

function DeadLetterBadge() {
  const open = useDeadLetters(false);
  const count = open.data?.total ?? 0;
  if (count === 0) return null;
  return (
    <span
      data-testid="dlq-badge"
      className="ml-auto rounded-full bg-red-700 px-2 text-xs font-semibold text-white"
      aria-label={`${count} open`}
    >
      {count}
    </span>
  );
}

export function Layout({
  children,
  theme,
  onTheme,
}: {
  children: ReactNode;
  theme: Theme;
  onTheme: (t: Theme) => void;
}) {
  const { path } = useRouter();
  const { demo, signOut, connection } = useConnection();
  const [open, setOpen] = useState(false);
  const active = (to: string) => (to === '/' ? path === '/' : path.startsWith(to));
  return (
    <div className="min-h-screen md:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:bg-white focus:p-2"
      >
        Skip to content
      </a>
      <aside className="border-b border-slate-200 bg-white md:sticky md:top-0 md:h-screen md:w-56 md:shrink-0 md:border-b-0 md:border-r dark:border-slate-800 dark:bg-slate-900">
        <div className="flex items-center justify-between p-4">
          <span className="text-lg font-bold">Sandcastle</span>
          <button
            type="button"
            className="rounded border px-2 py-1 text-sm md:hidden"
            aria-expanded={open}
            aria-controls="nav"
            onClick={() => setOpen(!open)}
          >
            Menu
          </button>
        </div>
        <nav id="nav" aria-label="Main" className={`${open ? 'block' : 'hidden'} px-2 pb-4 md:block`}>
          <ul className="space-y-1">
            {NAV.map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  onClick={() => setOpen(false)}
                  aria-current={active(item.to) ? 'page' : undefined}
                  className={`flex items-center rounded-md px-3 py-2 text-sm ${active(item.to) ? 'bg-blue-50 font-semibold text-blue-800 dark:bg-blue-950 dark:text-blue-200' : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'}`}
                >
                  {item.label}
                  {item.to === '/dead-letter' && <DeadLetterBadge />}
                </Link>
              </li>
            ))}
          </ul>
          <div className="mt-6 space-y-2 px-3">
            <button
              type="button"
              data-testid="theme-toggle"
              className="w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-600"
              onClick={() => onTheme(theme === 'dark' ? 'light' : 'dark')}
            >
              {theme === 'dark' ? '☀ Light theme' : '☾ Dark theme'}
            </button>
            {connection.state === 'live' && storedApiKey() && (
              <button
                type="button"
                className="w-full rounded-md px-3 py-1.5 text-sm text-slate-600 hover:underline dark:text-slate-400"
                onClick={signOut}
              >
                Sign out
              </button>
            )}
          </div>
        </nav>
      </aside>
      <main id="main" className="min-w-0 flex-1 p-4 md:p-6">
        {demo && (
          <div
            role="status"
            data-testid="demo-banner"
            className="mb-4 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100"
          >
            <strong>Demo data.</strong> The gateway cannot be reached, so this page shows sample data; nothing
            here is real and every action is disabled.
          </div>
        )}
        {children}
      </main>
    </div>
  );
}
