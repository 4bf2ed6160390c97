// The rows of the isolation table in docs/security.md: what a container of either engine tries, and what
// must happen. isolation.test.ts measures every row for an embedded-runtime container and for a Docker
// container on the same host; test/unit/docs/security.test.ts keeps the document's table in step.
export type Outcome = 'blocked' | 'allowed';

export interface IsolationRow {
  id: string;
  /** What the container tries, as the table says it. */
  attempt: string;
  cmp: Outcome;
  docker: Outcome;
}

export const ISOLATION_ROWS: readonly IsolationRow[] = [
  {
    id: 'host-loopback',
    attempt: "a hand-made TCP SYN to 127.0.0.1 (a service on the host's loopback), sent to its gateway's MAC",
    cmp: 'blocked',
    docker: 'blocked',
  },
  {
    id: 'other-engine-unpublished',
    attempt: 'an unpublished port of a container of the other engine, at its address',
    cmp: 'blocked',
    docker: 'blocked',
  },
  {
    id: 'other-engine-published',
    attempt: 'a port the other engine publishes, through a host address',
    cmp: 'allowed',
    docker: 'allowed',
  },
  {
    id: 'other-network-unpublished',
    attempt: 'an unpublished port of a container on another network of its own engine (another project)',
    cmp: 'blocked',
    docker: 'blocked',
  },
  {
    id: 'other-network-published',
    attempt: 'a port a container on another network of its own engine publishes, through a host address',
    cmp: 'allowed',
    docker: 'allowed',
  },
  {
    id: 'outbound-nat',
    attempt: 'a host outside the machine (a namespace behind a host interface), seen from there as the host',
    cmp: 'allowed',
    docker: 'allowed',
  },
];
