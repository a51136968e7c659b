/** A user of a stand-in auth server, looked up by the session cookie's value. */
export interface AuthUser {
  subject: string;
  username: string;
  email: string;
  name: string;
  groups: string[];
}

export type SessionMap = Record<string, AuthUser>;
