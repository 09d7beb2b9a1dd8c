/** asl-validator 4 ships no types: its one export, as its source (dist/src/validator.js) defines it. */
declare module 'asl-validator' {
  interface AslError {
    'Error code': string;
    Message: string;
    path?: string;
  }
  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errors: AslError[] };
  export default aslValidator;
}
