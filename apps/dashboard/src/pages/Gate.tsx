import { useState } from 'react';
import { Button, Field, inputClass } from '../components/ui';
import { useConnection } from '../lib/connection';

function Centered({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-md rounded-lg border border-slate-200 bg-white p-6 shadow dark:border-slate-800 dark:bg-slate-900">
        {children}
      </div>
    </main>
  );
}

export function SignIn({ message }: { message?: string | undefined }) {
  const { signIn } = useConnection();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Centered>
      <h1 className="mb-2 text-xl font-semibold">Sign in to Sandcastle</h1>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        This gateway requires an API key. It is kept in this tab only (session storage) and sent in a header.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void signIn(key.trim()).finally(() => setBusy(false));
        }}
      >
        <Field label="API key" error={message}>
          <input
            className={inputClass}
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="sc_…"
            required
          />
        </Field>
        <Button variant="primary" type="submit" disabled={busy || key.trim() === ''}>
          Sign in
        </Button>
      </form>
    </Centered>
  );
}

export function Unreachable({ message }: { message: string }) {
  const { retry, useDemo } = useConnection();
  return (
    <Centered>
      <h1 className="mb-2 text-xl font-semibold">The Sandcastle gateway cannot be reached</h1>
      <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">{message}</p>
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
        Start it with <code>npm start</code> (or <code>npm run demo -- --keep</code>) and try again. You can
        also look around with sample data: it is labelled as such and nothing can be changed.
      </p>
      <div className="flex gap-2">
        <Button variant="primary" onClick={retry}>
          Try again
        </Button>
        <Button onClick={useDemo}>Explore demo data</Button>
      </div>
    </Centered>
  );
}
