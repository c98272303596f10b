import * as assert from 'node:assert/strict';
import { splitDocuments, YamlStream } from '../../../src/core/yamlStream';

describe('core: a YAML stream kept as its documents', () => {
  it('splits at --- lines only, keeping every character and counting each document’s line breaks', () => {
    const text = 'a: 1\n---\nb: |\n  --- not a marker\n---- no\n--- # c\nc: 3\n---\n---';
    const docs = splitDocuments(text);
    assert.deepEqual(
      docs.map((d) => d.text),
      ['a: 1\n', '---\nb: |\n  --- not a marker\n---- no\n', '--- # c\nc: 3\n', '---\n', '---'],
    );
    assert.deepEqual(
      docs.map((d) => d.breaks),
      [1, 4, 2, 1, 0],
    );
    assert.deepEqual(splitDocuments(''), [{ text: '', breaks: 0 }]);
  });

  it('an edit keeps the documents it does not touch as the same objects and splits or joins the ones it does', () => {
    const s = new YamlStream('a: 1\n---\nb: 2\n---\nc: 3\n');
    const [a, b, c] = s.documents;
    assert.ok(s.replace(s.text.indexOf('2'), 1, '2\n---\nb2: 2'));
    assert.deepEqual(
      s.documents.map((d) => d.text),
      ['a: 1\n', '---\nb: 2\n', '---\nb2: 2\n', '---\nc: 3\n'],
    );
    // b's text came out the same: it stays the same object too.
    assert.equal(s.documents[0], a);
    assert.equal(s.documents[1], b);
    assert.equal(s.documents[3], c);
    // Joining the marker line to the line before merges two documents.
    assert.ok(s.replace(s.text.indexOf('\n---\nc'), 1, ''));
    assert.deepEqual(
      s.documents.map((d) => d.text),
      ['a: 1\n', '---\nb: 2\n', '---\nb2: 2---\nc: 3\n'],
    );
    assert.equal(s.documents[0], a);
    assert.equal(s.text, 'a: 1\n---\nb: 2\n---\nb2: 2---\nc: 3\n');
    assert.equal(s.length, s.text.length);
  });

  it('refuses a change outside the text and keeps the text as it was', () => {
    const s = new YamlStream('a: 1\n---\nb: 2\n');
    assert.equal(s.replace(10, 10, 'x'), false);
    assert.equal(s.replace(-1, 0, 'x'), false);
    assert.equal(s.replace(0, -1, 'x'), false);
    assert.equal(s.text, 'a: 1\n---\nb: 2\n');
  });
});
