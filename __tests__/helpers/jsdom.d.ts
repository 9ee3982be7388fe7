// jsdom ships no types (and @types/jsdom would be one more dependency for one constructor): the part the Mermaid helper uses.
declare module 'jsdom' {
  export class JSDOM {
    constructor(html: string);
    readonly window: Window & typeof globalThis;
  }
}
