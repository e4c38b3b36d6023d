/**
 * Errors that fail a geo run as a whole (the run is marked failed with `code`, nothing is merged).
 * Problems of one feature never throw: they travel with the record and end in the quarantine.
 */
export class GeoSourceError extends Error {
  constructor(
    message: string,
    readonly code: string = 'GEO_SOURCE_INVALID',
  ) {
    super(message);
    this.name = 'GeoSourceError';
  }
}

/** The response ended inside the document (a cut connection, a full disk on the server …). */
export class TruncatedResponseError extends GeoSourceError {
  constructor(message: string) {
    super(message, 'GEO_TRUNCATED');
    this.name = 'TruncatedResponseError';
  }
}

/** The server answered with an OWS ExceptionReport / WFS ServiceExceptionReport. */
export class WfsExceptionError extends GeoSourceError {
  constructor(
    message: string,
    readonly exceptionCode: string | undefined,
  ) {
    super(message, 'WFS_EXCEPTION');
    this.name = 'WfsExceptionError';
  }
}

/** An HTTP failure; `retryable` for 5xx, 429, timeouts and broken connections. */
export class HttpError extends GeoSourceError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message, 'GEO_HTTP');
    this.name = 'HttpError';
  }
}

/** A feature's geometry that cannot be read or projected; caught per feature and quarantined. */
export class GeometryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeometryError';
  }
}
