// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${var} in plain strings is the syntax under test
import { describe, expect, it } from 'vitest';
import { checkVariableNames, SubstitutionError, substitute } from '../../../../core/sync/post-build.js';
import { substituteObjects } from '../../../../plugins/renderers/post-build.js';
import { RenderError } from '../../../../plugins/renderers/renderer.js';

const vars = new Map([
  ['CLUSTER', 'prod-eu'],
  ['REPLICAS', '3'],
  ['EMPTY', ''],
]);

describe('post-build substitution (Flux envsubst, strict)', () => {
  it('replaces ${var} and ${var:=default}, leaves $var alone and turns $${var} into a literal', () => {
    expect(
      substitute('a ${CLUSTER} b ${REGION:=us-east-2} c ${EMPTY:-x} d $CLUSTER e $${CLUSTER}', vars, 'x'),
    ).toBe('a prod-eu b us-east-2 c x d $CLUSTER e ${CLUSTER}');
    expect(substitute('${EMPTY}', vars, 'x')).toBe('');
  });

  it('fails on an undefined variable, naming the object and the variable', () => {
    expect(() => substitute('name: ${NOPE}', vars, 'ConfigMap app/web')).toThrow(
      /ConfigMap app\/web: variable NOPE is not defined/,
    );
    expect(() => substitute('${1BAD}', vars, 'x')).toThrow(SubstitutionError);
  });

  it('checks variable names by Flux rule', () => {
    expect(() => checkVariableNames(['ok_1', '_x'], 's')).not.toThrow();
    expect(() => checkVariableNames(['bad-name'], 'ConfigMap a/b')).toThrow(/ConfigMap a\/b: key "bad-name"/);
  });

  it('substitutes through YAML, so a number stays a number; disabled objects are skipped', () => {
    const [deploy, skipped] = substituteObjects(
      [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web-${CLUSTER}' },
          spec: { replicas: '${REPLICAS}' },
        } as never,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'raw', annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } },
          data: { script: 'echo ${UNDEFINED}' },
        } as never,
      ],
      vars,
    );
    expect(deploy).toMatchObject({ metadata: { name: 'web-prod-eu' }, spec: { replicas: 3 } });
    expect(skipped).toMatchObject({ data: { script: 'echo ${UNDEFINED}' } });
  });

  it('an undefined variable in an object is a RenderError naming both; a value breaking YAML is not echoed', () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'n' },
      data: { a: '${MISSING}' },
    };
    expect(() => substituteObjects([cm], vars)).toThrow(RenderError);
    expect(() => substituteObjects([cm], vars)).toThrow(/ConfigMap n\/c: variable MISSING/);
    const secretish = new Map([['V', 's3cr3t: [unclosed']]);
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'x' }, x: '${V}' };
    let message = '';
    try {
      substituteObjects([{ ...obj, metadata: { name: '${V}' } }], secretish);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/not valid YAML after substitution/);
    expect(message).not.toContain('s3cr3t');
  });
});
