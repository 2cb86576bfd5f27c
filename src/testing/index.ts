/**
 * kube-palisade/testing: test custom checks like the built-in ones.
 *
 * @example
 * import { checkTester } from 'kube-palisade/testing';
 * checkTester(myCheck).fails(yaml, ['/spec/template/spec/hostPID']);
 */
export { type CheckRun, type CheckTester, type CheckTesterOptions, checkTester } from './check-tester.js';
export { type ExpectedPointer, expectedPointersIn, fixtureParams } from './fixtures.js';
