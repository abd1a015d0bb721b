import { describe, expect, it } from 'vitest';
import { parseMarkerRef, setImageMarkers } from '../../../../core/image/markers.js';

const policy = { namespace: 'apps', name: 'web' };
const selection = { image: 'reg.example:5000/team/web', tag: '1.2.0', digest: 'sha256:abc' };

describe('setImageMarkers', () => {
  it('rewrites the whole reference, the tag, the name and the digest by marker field', () => {
    const text = [
      'spec:',
      '  containers:',
      '    - name: web',
      '      image: reg.example:5000/team/web:1.0.0 # {"$imagepolicy": "apps:web"}',
      'images:',
      '  - name: web',
      '    newTag: 1.0.0 # {"$imagepolicy": "apps:web:tag"}',
      '    newName: old/web # {"$imagepolicy": "apps:web:name"}',
      '    digest: "sha256:old" # {"$imagepolicy": "apps:web:digest"}',
      '',
    ].join('\n');
    const { text: out, changes } = setImageMarkers(text, policy, selection);
    expect(out).toBe(
      [
        'spec:',
        '  containers:',
        '    - name: web',
        '      image: reg.example:5000/team/web:1.2.0 # {"$imagepolicy": "apps:web"}',
        'images:',
        '  - name: web',
        '    newTag: 1.2.0 # {"$imagepolicy": "apps:web:tag"}',
        '    newName: reg.example:5000/team/web # {"$imagepolicy": "apps:web:name"}',
        '    digest: "sha256:abc" # {"$imagepolicy": "apps:web:digest"}',
        '',
      ].join('\n'),
    );
    expect(changes).toEqual([
      { line: 4, from: 'reg.example:5000/team/web:1.0.0', to: 'reg.example:5000/team/web:1.2.0' },
      { line: 7, from: '1.0.0', to: '1.2.0' },
      { line: 8, from: 'old/web', to: 'reg.example:5000/team/web' },
      { line: 9, from: 'sha256:old', to: 'sha256:abc' },
    ]);
  });

  it('leaves other policies, unmarked values and an already-current file alone', () => {
    const text =
      'a: x:1 # {"$imagepolicy": "apps:api"}\nb: reg.example:5000/team/web:1.0.0\nc: 1.2.0 # {"$imagepolicy": "apps:web:tag"}\n';
    const { text: out, changes } = setImageMarkers(text, policy, selection);
    expect(out).toBe(text);
    expect(changes).toEqual([]);
  });

  it('keeps CRLF line ends and a list item value; a digest marker without a digest is left', () => {
    const text =
      '- reg/web:0.1 # {"$imagepolicy": "apps:web"}\r\nd: sha256:x # {"$imagepolicy": "apps:web:digest"}\r\n';
    const { text: out } = setImageMarkers(text, policy, { image: 'reg/web', tag: '0.2' });
    expect(out).toBe(
      '- reg/web:0.2 # {"$imagepolicy": "apps:web"}\r\nd: sha256:x # {"$imagepolicy": "apps:web:digest"}\r\n',
    );
  });

  it('parses marker references and refuses malformed ones', () => {
    expect(parseMarkerRef('ns:n')).toEqual({ namespace: 'ns', name: 'n', field: 'image' });
    expect(parseMarkerRef('ns:n:tag')).toEqual({ namespace: 'ns', name: 'n', field: 'tag' });
    expect(parseMarkerRef('ns:n:other')).toBeUndefined();
    expect(parseMarkerRef('n')).toBeUndefined();
    expect(parseMarkerRef('ns::tag')).toBeUndefined();
  });
});
