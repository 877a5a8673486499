import { ApiException } from '../http/api.exception';
import { CheckpointSeqPipe } from './checkpoint-seq.pipe';

describe('CheckpointSeqPipe', () => {
  const pipe = new CheckpointSeqPipe();

  it('turns a plain whole number from 1 into a number', () => {
    expect(pipe.transform('1')).toBe(1);
    expect(pipe.transform('042')).toBe(42);
    expect(pipe.transform('2147483647')).toBe(2_147_483_647);
  });

  it.each(['0', '-1', '+1', '1.5', '1e3', 'abc', '', ' 1', '0x10', '2147483648', '99999999999'])(
    'refuses %j with 400 VALIDATION_ERROR on seq',
    (value) => {
      let thrown: unknown;
      try {
        pipe.transform(value);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ApiException);
      expect(thrown).toMatchObject({
        status: 400,
        code: 'VALIDATION_ERROR',
        details: [{ field: 'seq', message: expect.any(String) }],
      });
    },
  );
});
