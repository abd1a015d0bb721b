import { describe, expect, it } from 'vitest';
import { gatewayHeaderFilters, gatewayRouteMatches } from '../../../../core/traffic/gateway-api-fields.js';
import { gatewayRewriteFilter } from '../../../../core/traffic/gateway-api-rewrite.js';

const problems = (found: { problems: { path: (string | number)[]; message: string }[] }) =>
  found.problems.map((p) => `${p.path.join('.')}: ${p.message}`);

describe('service.match as HTTPRouteMatches', () => {
  it('translates uri, method, headers and query parameters; a prefix becomes a regular expression', () => {
    const found = gatewayRouteMatches([
      {
        uri: { prefix: '/api' },
        method: { exact: 'GET' },
        headers: { 'x-env': { exact: 'prod' }, 'x-v': { prefix: '2.' } },
        queryParams: { debug: { regex: '^(1|true)$' } },
      },
      { uri: { exact: '/health' } },
      { uri: { regex: '/v[0-9]+/.*' } },
    ]);
    expect(found.problems).toEqual([]);
    expect(found.matches).toEqual([
      {
        path: { type: 'PathPrefix', value: '/api' },
        method: 'GET',
        headers: [
          { type: 'Exact', name: 'x-env', value: 'prod' },
          { type: 'RegularExpression', name: 'x-v', value: '^2\\..*' },
        ],
        queryParams: [{ type: 'RegularExpression', name: 'debug', value: '^(1|true)$' }],
      },
      { path: { type: 'Exact', value: '/health' } },
      { path: { type: 'RegularExpression', value: '/v[0-9]+/.*' } },
    ]);
  });

  it('names each field the Gateway API cannot express', () => {
    expect(
      problems(
        gatewayRouteMatches([
          {
            authority: { exact: 'a.example.com' },
            gateways: ['other-team/gateway'],
            uri: { prefix: 'api' },
            method: { prefix: 'G' },
            headers: { 'bad name': { exact: 'x' }, 'x-two': { exact: 'a', regex: 'b' } },
            queryParams: { q: { exact: 'a\nb' } },
          },
        ]),
      ),
    ).toEqual([
      "0.authority: the Gateway API's HTTPRouteMatch cannot express authority",
      "0.gateways: the Gateway API's HTTPRouteMatch cannot express gateways",
      '0.uri: an exact or prefix path starts with "/"',
      '0.method: the Gateway API matches one method exactly: GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH',
      '0.headers.bad name: "bad name" is not an HTTP token',
      '0.headers.x-two: set exactly one of exact, prefix or regex, as a string (got exact, regex)',
      '0.queryParams.q.exact: a value of at most 4096 characters, one line',
    ]);
  });
});

describe('service.headers as header-modifier filters', () => {
  it('translates request and response set / add / remove, names sorted', () => {
    const found = gatewayHeaderFilters({
      request: { set: { 'x-b': '2', 'x-a': '1' }, remove: ['x-internal'] },
      response: { add: { 'x-served-by': 'web' } },
    });
    expect(found.problems).toEqual([]);
    expect(found.filters).toEqual([
      {
        type: 'RequestHeaderModifier',
        requestHeaderModifier: {
          set: [
            { name: 'x-a', value: '1' },
            { name: 'x-b', value: '2' },
          ],
          remove: ['x-internal'],
        },
      },
      {
        type: 'ResponseHeaderModifier',
        responseHeaderModifier: { add: [{ name: 'x-served-by', value: 'web' }] },
      },
    ]);
  });

  it('refuses a value that would inject another header, a bad name and an operation it has no filter for', () => {
    expect(
      problems(
        gatewayHeaderFilters({
          request: { set: { 'x-a': 'ok\r\nSet-Cookie: stolen=1', 'x a': 'v' }, append: { x: 'y' } },
          mesh: { add: {} },
        }),
      ),
    ).toEqual([
      'request.set.x-a: a header value is one line of at most 4096 characters',
      'request.set.x a: "x a" is not a header name used once',
      "request.append: the Gateway API's header filters cannot express append",
      'mesh: the Gateway API cannot modify headers of mesh',
    ]);
  });
});

describe('service.rewrite as a URLRewrite filter', () => {
  it("writes authority as the hostname and uri as the whole path, Flagger's default, or the matched prefix", () => {
    expect(gatewayRewriteFilter({ uri: '/v2', authority: 'web.internal' })).toEqual({
      filter: {
        type: 'URLRewrite',
        urlRewrite: { hostname: 'web.internal', path: { type: 'ReplaceFullPath', replaceFullPath: '/v2' } },
      },
      problems: [],
    });
    expect(gatewayRewriteFilter({ uri: '/', type: 'ReplacePrefixMatch' }).filter?.urlRewrite.path).toEqual({
      type: 'ReplacePrefixMatch',
      replacePrefixMatch: '/',
    });
  });

  it('refuses a value that would carry more than a path or a host (attack: a line break, a wildcard host)', () => {
    expect(
      problems(gatewayRewriteFilter({ uri: '/a\r\nx-injected: 1', authority: '*.example.com' })),
    ).toEqual([
      'authority: a lowercase host name without a port or wildcard',
      'uri: a path starting with "/", at most 1024 characters, no spaces',
    ]);
    expect(problems(gatewayRewriteFilter({ type: 'ReplaceRegex' }))).toEqual([
      'type: one of ReplaceFullPath, ReplacePrefixMatch',
      'type: type says how uri replaces the path: set uri too',
      ': set uri, authority or both',
    ]);
  });
});
