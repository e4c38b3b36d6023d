// @rdfjs/dataset (the RDF/JS reference dataset, used by the SHACL test) ships no types.
declare module '@rdfjs/dataset' {
  import type { DatasetCore, Quad } from '@rdfjs/types';

  const factory: { dataset(quads?: Quad[]): DatasetCore };
  export default factory;
}
