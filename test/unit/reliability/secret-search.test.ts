import { strict as assert } from 'assert';
import { countOccurrences, decodedBase64Runs, textOf, tokenOccurrences } from '../../../reliability/secret-search';

const TOKEN = 'tok_reliability_0123456789abcdef';

describe('reliability token search', () => {
  it('finds the token inside payload bytes, which JSON.stringify would turn into numbers', () => {
    const history = {
      events: [
        {
          eventId: 1,
          workflowExecutionStartedEventAttributes: {
            input: {
              payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: new TextEncoder().encode(`{"note":"${TOKEN}"}`) }],
            },
          },
        },
      ],
    };
    assert.equal(countOccurrences(JSON.stringify(history), TOKEN), 0, 'the naive search is blind here');
    assert.equal(tokenOccurrences(textOf(history), TOKEN), 1);
  });

  it('reads strings, numbers, keys and nested arrays, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { a: [1, 'two', { [TOKEN]: true }] };
    cyclic.self = cyclic;
    const text = textOf(cyclic);
    assert.equal(countOccurrences(text, TOKEN), 1);
    assert.match(text, /two/);
  });

  it('finds the token inside base64, as the CLI prints payload bytes', () => {
    const json = JSON.stringify({ data: Buffer.from(`{"token":"${TOKEN}"}`).toString('base64') });
    assert.equal(countOccurrences(json, TOKEN), 0);
    assert.equal(tokenOccurrences(json, TOKEN), 1);
    assert.equal(decodedBase64Runs('short AbC='), '');
  });

  it('counts non-overlapping occurrences and refuses an empty needle', () => {
    assert.equal(countOccurrences('aaaa', 'aa'), 2);
    assert.equal(countOccurrences(`x${TOKEN}y${TOKEN}`, TOKEN), 2);
    assert.equal(countOccurrences('nothing here', TOKEN), 0);
    assert.throws(() => countOccurrences('x', ''));
  });
});
