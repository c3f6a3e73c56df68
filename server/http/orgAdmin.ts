// Organisations (the operator key's remaining job: making them) and each organisation's administration
// by its admins: staff members and API keys. Administration takes an admin's session; an API key cannot
// administer (a leaked script key must not mint more keys or staff).
import type { Request, Response } from 'express'
import { Router } from 'express'
import type { ApiKeyList, CreateApiKeyResponse, CreateOrgResponse, OrgView, StaffList } from '../../shared/protocol/staff.ts'
import type { OrgOidcView } from '../../shared/protocol/oidc.ts'
import type { OrgRecord } from '../store/OrgStore.ts'
import { validateCreateApiKey, validateCreateOrg, validateCreateStaff, validateUpdateStaff } from '../../shared/schema/staff.schema.ts'
import { oidcRedirectUri } from '../auth/oidc/oidcRoutes.ts'
import { oidcView, type OidcSettings } from '../org/OidcSettings.ts'
import { baseUrl } from './invites.ts'
import { isRefusal } from '../../shared/protocol/errors.ts'
import type { Logger } from '../log.ts'
import { apiKeyView, orgView, staffView } from '../org/OrgAccounts.ts'
import { canAdminister } from '../org/staffRoles.ts'
import { sendError, sendRefusal } from './errors.ts'
import { answered, type Caller, type PrincipalResolver } from './principals.ts'

export interface OrgAdminContext {
  principals: PrincipalResolver
  oidc: OidcSettings
  /** Base of the redirect URI shown to admins (PUBLIC_URL); else the request's own origin. */
  publicUrl?: string
  log: Logger
}

type StaffCaller = Extract<Caller, { kind: 'staff' }>


function refuseCaller(res: Response, who: Caller, needs: string): null {
  if (who.kind === 'none') sendError(res, 'unauthorized', `${needs} is required`)
  else sendError(res, 'forbidden', `only ${needs} can do this`)
  return null
}

export function orgAdminRouter(o: OrgAdminContext): Router {
  const router = Router()
  const accounts = o.principals.accounts

  /** The organisation with its identity-provider settings (never the client secret). */
  const orgSettings = (org: OrgRecord, req: Request): { org: OrgView; oidc: OrgOidcView | null } => ({
    org: orgView(org),
    oidc: org.oidc ? oidcView(org.oidc, oidcRedirectUri(baseUrl(req, o.publicUrl), org.id)) : null,
  })

  const operator = async (req: Request, res: Response): Promise<true | null> => {
    const who = answered(res, await o.principals.resolve(req))
    if (!who) return null
    return who.kind === 'operator' ? true : refuseCaller(res, who, 'the operator key')
  }

  const admin = async (req: Request, res: Response): Promise<StaffCaller | null> => {
    const who = answered(res, await o.principals.resolve(req))
    if (!who) return null
    return who.kind === 'staff' && canAdminister(who.staff.roles) ? who : refuseCaller(res, who, "an admin's session")
  }

  router.post('/api/orgs', async (req, res) => {
    if (!(await operator(req, res))) return
    const checked = validateCreateOrg(req.body)
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const org = await accounts.createOrg(checked.value.name)
    if (isRefusal(org)) return sendRefusal(res, org)
    const body: CreateOrgResponse = { org: orgView(org) }
    if (checked.value.admin) {
      const made = await accounts.createStaff(org.id, { ...checked.value.admin, roles: ['admin'] })
      if (isRefusal(made)) return sendRefusal(res, made)
      body.admin = staffView(made)
    }
    o.log.info({ orgId: org.id }, 'organisation created')
    res.status(201).json(body)
  })

  router.get('/api/orgs', async (req, res) => {
    if (!(await operator(req, res))) return
    res.json({ orgs: (await accounts.store.listOrgs()).map(orgView) })
  })

  router.get('/api/org', async (req, res) => {
    const who = await admin(req, res)
    if (!who) return
    res.json(orgSettings(who.org, req))
  })

  const setOidc = async (req: Request, res: Response, remove: boolean): Promise<void> => {
    const who = await admin(req, res)
    if (!who) return
    const checked = remove ? { ok: true as const, value: await o.oidc.clear(who.org.id) } : await o.oidc.set(who.org.id, req.body)
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const updated = checked.value
    if (!updated) return sendError(res, 'not_found', 'the organisation is gone')
    o.log.info({ orgId: who.org.id, by: who.staff.id, oidc: updated.oidc !== null }, 'organisation identity provider set')
    res.json(orgSettings(updated, req))
  }
  router.put('/api/org/oidc', (req, res) => setOidc(req, res, false))
  router.delete('/api/org/oidc', (req, res) => setOidc(req, res, true))

  router.get('/api/org/staff', async (req, res) => {
    const who = await admin(req, res)
    if (!who) return
    const list: StaffList = { staff: (await accounts.store.listStaff(who.org.id)).map(staffView) }
    res.json(list)
  })

  router.post('/api/org/staff', async (req, res) => {
    const who = await admin(req, res)
    if (!who) return
    const checked = validateCreateStaff(req.body)
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const made = await accounts.createStaff(who.org.id, checked.value)
    if (isRefusal(made)) return sendRefusal(res, made)
    o.log.info({ orgId: who.org.id, staffId: made.id, by: who.staff.id }, 'staff member created')
    res.status(201).json({ staff: staffView(made) })
  })

  router.patch('/api/org/staff/:id', async (req, res) => {
    const who = await admin(req, res)
    if (!who) return
    const checked = validateUpdateStaff(req.body)
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const updated = await accounts.updateStaff(who.org.id, req.params.id, checked.value)
    if (isRefusal(updated)) return sendRefusal(res, updated)
    o.log.info({ orgId: who.org.id, staffId: updated.id, by: who.staff.id }, 'staff member updated')
    res.json({ staff: staffView(updated) })
  })

  router.post('/api/org/api-keys', async (req, res) => {
    const who = await admin(req, res)
    if (!who) return
    const checked = validateCreateApiKey(req.body)
    if (!checked.ok) return sendError(res, 'invalid_payload', checked.error)
    const roles = checked.value.roles ?? ['agent']
    if (roles.includes('admin')) return sendError(res, 'invalid_payload', '/roles: an API key cannot be an admin')
    const made = await accounts.createApiKey(who.org.id, checked.value.name, roles)
    o.log.info({ orgId: who.org.id, keyId: made.record.id, by: who.staff.id }, 'API key created')
    const body: CreateApiKeyResponse = { apiKey: apiKeyView(made.record), key: made.key }
    res.status(201).json(body)
  })

  router.get('/api/org/api-keys', async (req, res) => {
    const who = await admin(req, res)
    if (!who) return
    const list: ApiKeyList = { apiKeys: (await accounts.store.listApiKeys(who.org.id)).map(apiKeyView) }
    res.json(list)
  })

  router.delete('/api/org/api-keys/:id', async (req, res) => {
    const who = await admin(req, res)
    if (!who) return
    const revoked = await accounts.store.revokeApiKey(who.org.id, req.params.id, Date.now())
    if (!revoked) return sendError(res, 'not_found', 'no such API key in this organisation')
    o.log.info({ orgId: who.org.id, keyId: revoked.id, by: who.staff.id }, 'API key revoked')
    res.json({ apiKey: apiKeyView(revoked) })
  })

  return router
}
