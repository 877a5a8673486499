// Where the data comes from: the gateway, or (only when the user asks, while the gateway is
// unreachable) clearly labelled demo data with every action disabled.
import { createContext, useContext } from 'react';

export type Connection =
  | { state: 'checking' }
  | { state: 'live' }
  | { state: 'sign-in'; message?: string }
  | { state: 'unreachable'; message: string }
  | { state: 'demo' };

export interface ConnectionApi {
  connection: Connection;
  demo: boolean;
  retry: () => void;
  useDemo: () => void;
  signOut: () => void;
  signIn: (key: string) => Promise<void>;
  markUnreachable: (message: string) => void;
}

export const ConnectionContext = createContext<ConnectionApi | null>(null);

export function useConnection(): ConnectionApi {
  const value = useContext(ConnectionContext);
  if (!value) throw new Error('useConnection outside ConnectionContext');
  return value;
}
