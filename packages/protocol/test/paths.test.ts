import { basename, joinPath, parentPath, validatePath, ZkError } from '@zkts/protocol';
import { describe, expect, it } from 'vitest';

const valid = ['/', '/a', '/a/b', '/zookeeper', '/a.b', '/..a', '/a..', '/.a', '/a.', '/...', '/a/.../b', '/ünïcødé', '/a b', '/\u00a0', '/\uf900', '/\uffef', '/a-1/b_2'];

const invalid: Array<[string, string]> = [
  ['', 'Path length must be > 0'],
  ['a', 'Path must start with / character'],
  ['a/b', 'Path must start with / character'],
  ['/a/', 'Path must not end with / character'],
  ['//', 'Path must not end with / character'],
  ['/a//b', 'Invalid path string "/a//b" caused by empty node name specified @3'],
  ['/a\u0000b', 'Invalid path string "/a\u0000b" caused by null character not allowed @2'],
  ['/.', 'Invalid path string "/." caused by relative paths not allowed @1'],
  ['/..', 'Invalid path string "/.." caused by relative paths not allowed @2'],
  ['/a/./b', 'Invalid path string "/a/./b" caused by relative paths not allowed @3'],
  ['/a/../b', 'Invalid path string "/a/../b" caused by relative paths not allowed @4'],
  ['/a/..', 'Invalid path string "/a/.." caused by relative paths not allowed @4'],
  ['/a\u0001', 'Invalid path string "/a\u0001" caused by invalid character @2'],
  ['/\u001f', 'Invalid path string "/\u001f" caused by invalid character @1'],
  ['/\u007f', 'Invalid path string "/\u007f" caused by invalid character @1'],
  ['/\u009f', 'Invalid path string "/\u009f" caused by invalid character @1'],
  ['/\ud800', 'Invalid path string "/\ud800" caused by invalid character @1'],
  ['/\uf8ff', 'Invalid path string "/\uf8ff" caused by invalid character @1'],
  ['/\ufff0', 'Invalid path string "/\ufff0" caused by invalid character @1'],
  ['/\uffff', 'Invalid path string "/\uffff" caused by invalid character @1'],
  ['/a\u{1f600}', 'Invalid path string "/a\u{1f600}" caused by invalid character @2'],
  ['/a//b/./c', 'Invalid path string "/a//b/./c" caused by empty node name specified @3'],
];

describe('validatePath', () => {
  it.each(valid)('accepts %j', (path) => {
    expect(() => validatePath(path)).not.toThrow();
  });

  it.each(invalid)('rejects %j', (path, message) => {
    try {
      validatePath(path);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZkError);
      const err = e as ZkError;
      expect(err.code).toBe('BAD_ARGUMENTS');
      expect(err.errno).toBe(-8);
      expect(err.path).toBe(path);
      expect(err.message).toBe(`${message}: ${path}`);
    }
  });

  it('checks sequential paths with a 1 appended, so a trailing slash is allowed', () => {
    expect(() => validatePath('/a/', true)).not.toThrow();
    expect(() => validatePath('/a/lock-', true)).not.toThrow();
    expect(() => validatePath('/', true)).not.toThrow();
    expect(() => validatePath('/a//', true)).toThrow('Invalid path string "/a//1" caused by empty node name specified @3');
    expect(() => validatePath('/a/.', true)).not.toThrow(); // "/a/.1" is a valid name
    expect(() => validatePath('', true)).toThrow('Path must start with / character');
  });
});

describe('path helpers', () => {
  it('finds parents, basenames and joins', () => {
    expect(parentPath('/a/b/c')).toBe('/a/b');
    expect(parentPath('/a')).toBe('/');
    expect(() => parentPath('/')).toThrow();
    expect(basename('/a/b')).toBe('b');
    expect(basename('/a')).toBe('a');
    expect(basename('/')).toBe('');
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/a', 'b')).toBe('/a/b');
  });
});
