export { anonymous, hasRole, type Role, type Viewer } from './viewer.js';
export { authorize, authorizeInput, can, policy, readScope, type AccessContext, type Action } from './policy.js';
export { runAction } from './action.js';
export { authenticate, createApiKey } from './api-key.js';
export {
  apiKeyUsage,
  issueApiKey,
  keyIdOf,
  listApiKeys,
  ownApiKey,
  revokeApiKey,
  revokeOwnApiKey,
  rotateApiKey,
  rotateOwnApiKey,
  type ApiKeyRow,
  type ApiKeyUsageDay,
} from './api-key.service.js';
export {
  apiKeyRequestStatus,
  approveApiKeyRequest,
  collectApiKey,
  listApiKeyRequests,
  rejectApiKeyRequest,
  requestApiKey,
  validateApiKeyRequest,
  MAX_PENDING_PER_EMAIL,
  type ApiKeyRequestInput,
  type ApiKeyRequestRow,
  type ApiKeyRequestStatus,
} from './api-key-request.service.js';
export { countKeyUse, flushKeyUsage, usageDay } from './key-usage.js';
export { audit } from './audit.js';
export { createOidcVerifier, type OidcSettings, type OidcVerifier } from './oidc.js';
export { createSession, resolveSession, forgetSessions, SESSION_COOKIE, SESSION_TTL_SECONDS } from './session.js';
