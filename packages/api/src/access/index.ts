export { anonymous, hasRole, type Role, type Viewer } from './viewer.js';
export { authorize, authorizeInput, can, policy, readScope, type AccessContext, type Action } from './policy.js';
export { runAction } from './action.js';
export { authenticate, createApiKey } from './api-key.js';
export { issueApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from './api-key.service.js';
export { audit } from './audit.js';
export { createOidcVerifier, type OidcSettings, type OidcVerifier } from './oidc.js';
export { createSession, resolveSession, forgetSessions, SESSION_COOKIE, SESSION_TTL_SECONDS } from './session.js';
