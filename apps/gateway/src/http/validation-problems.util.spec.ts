import { validationProblems } from './validation-problems.util';

describe('validationProblems', () => {
  it('lists each bad field once, with every failed rule', () => {
    expect(
      validationProblems([
        {
          property: 'max_cost_usd',
          constraints: { min: 'must be >= 0', isNumber: 'must be a number' },
          children: [],
        },
        {
          property: 'extra',
          constraints: { whitelistValidation: 'property extra should not exist' },
          children: [],
        },
      ]),
    ).toEqual([
      { field: 'max_cost_usd', message: 'must be >= 0; must be a number' },
      { field: 'extra', message: 'property extra should not exist' },
    ]);
  });

  it('writes nested paths as the client wrote them', () => {
    expect(
      validationProblems([
        {
          property: 'items',
          children: [
            {
              property: '2',
              children: [{ property: 'name', constraints: { isString: 'bad' }, children: [] }],
            },
          ],
        },
      ]),
    ).toEqual([{ field: 'items[2].name', message: 'bad' }]);
  });
});
