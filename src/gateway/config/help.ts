/**
 * The text of `mcp-authflow-resource gateway --help`.
 *
 * @module
 * @internal
 */

/** The usage text (flags; each also `AUTHFLOW_<NAME>` and a `--config` key). */
export const GATEWAY_HELP = `Usage: mcp-authflow-resource gateway (--upstream <url> | --stdio "<command>") [options]

Protects an MCP server with OAuth 2.0: the bearer gate, discovery documents, per-tool scopes
and friction, in front of a Streamable HTTP endpoint or a stdio command. The client's token
never goes upstream.

Upstream (exactly one):
  --upstream <url>                 the upstream MCP endpoint (Streamable HTTP)
  --stdio "<command>"              a stdio MCP server, one child per session (split like a
                                   POSIX shell would, never run through a shell)
Listening:
  --public-url <url>               the MCP endpoint URL clients use (default http://<host>:<port>/mcp)
  --host <h>                       default 127.0.0.1
  --port <n>                       default 8080
  --cors-origin <origin>           let a browser app at this origin call the MCP endpoint
                                   (scheme://host[:port], or * for any; repeatable; default off)
Tokens:
  --issuer <url>                   JWT access tokens (RFC 9068) from this issuer (repeatable)
  --introspection-endpoint <url>   RFC 7662 introspection (secret from AUTHFLOW_CLIENT_SECRET)
  --client-id <id>                 the gateway's client at the introspection endpoint
  --client-auth-method <m>         client_secret_basic (default), client_secret_post, bearer, none
  --authorization-server <url>     advertised in the metadata (repeatable; default the issuers)
  --allow-localhost                let token verification reach loopback addresses
Authorization:
  --scopes a,b                     scopes every request needs
  --tool-scope <tool>=<a,b>        extra scopes for one tool (repeatable)
  --friction <tool>=<rate>         friction for one tool, target share in (0, 1] (repeatable)
  --dpop allowed|required          DPoP (RFC 9449): bound tokens need a proof / every token must be bound
  --dpop-nonce                     require server-issued DPoP nonces (replicas share
                                   AUTHFLOW_DPOP_NONCE_SECRET, at least 16 bytes)
  --redis <url>                    share friction, introspection verdicts and DPoP proof ids across replicas
  --redis-key-prefix <p>           prefix of the gateway's Redis keys
Upstream requests:
  --upstream-header "Name: value"  a header the gateway adds (its own credential; repeatable)
  --identity-headers               send X-Authflow-Subject, X-Authflow-Client-Id, X-Authflow-Scopes
  --max-body-bytes <n>             largest request body (default 4194304)
  --upstream-timeout-ms <n>        wait for the upstream's response headers (default 30000)
  --stdio-max-sessions <n>         stdio children at most (default 32)
  --stdio-idle-timeout-ms <n>      idle stdio session lifetime (default 300000)
Operations:
  --shutdown-timeout-ms <n>        in-flight calls get this long after SIGTERM (default 10000)
  --log-level <l>                  debug, info (default), warn, error
  --config <file.json>             settings as camelCase keys, plus defaultConfig, toolConfigs
                                   and toolGroups (the full friction configuration)
  -h, --help                       this text

Every flag is also AUTHFLOW_<NAME> in the environment (AUTHFLOW_PUBLIC_URL; lists comma-separated)
and a key of the config file (publicUrl). Flags win over the environment, the environment over
the file. Secrets come from the environment or the file only. GET /healthz and /readyz answer
health and readiness. Exit code 2: a bad setting (the message names it).
`;
