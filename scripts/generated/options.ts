// Placeholder until the generated file from `npm run docs` lands; same shape.
export interface FrigateNginxOptions {
  authRequestUrl?: string | null;
  authRequestTimeout?: number;
  signInUrl?: string | null;
  signOutUrl?: string | null;
  reverseProxy?: {
    userHeader?: string;
    roleHeader?: string | null;
    groupsHeader?: string | null;
    emailHeader?: string | null;
    nameHeader?: string | null;
    defaultRole?: string;
    roleMap?: Record<string, string[]>;
    separator?: "," | "|" | ";" | ":" | " ";
  };
}
