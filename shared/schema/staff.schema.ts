// JSON Schemas of sign-in and of the organisation, staff and API-key administration (shared/protocol/staff.ts).
import type { ChangePasswordRequest, CreateApiKeyRequest, CreateOrgRequest, CreateStaffRequest, LoginRequest, UpdateStaffRequest } from '../protocol/staff.ts'
import { STAFF_ROLES } from '../protocol/staff.ts'
import { compileValidator, type Validation } from './validate.ts'

const email = { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' } as const
const personName = { type: 'string', minLength: 1, maxLength: 120 } as const
// argon2 hashes any length, but a megabyte password is a way to spend the server's CPU.
const password = { type: 'string', minLength: 1, maxLength: 256 } as const
const newPassword = { type: 'string', minLength: 12, maxLength: 256 } as const
const roles = { type: 'array', minItems: 1, maxItems: STAFF_ROLES.length, uniqueItems: true, items: { enum: [...STAFF_ROLES] } } as const
const orgName = { type: 'string', minLength: 1, maxLength: 120 } as const

export const loginSchema = {
  $id: 'https://negotiation-room.local/schema/login.json',
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: { email: { type: 'string', minLength: 1, maxLength: 254 }, password, orgId: { type: 'string', minLength: 1, maxLength: 64 }, org: orgName },
} as const

export const createOrgSchema = {
  $id: 'https://negotiation-room.local/schema/create-org.json',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: orgName,
    admin: { type: 'object', additionalProperties: false, required: ['email', 'name', 'password'], properties: { email, name: personName, password: newPassword } },
  },
} as const

export const createStaffSchema = {
  $id: 'https://negotiation-room.local/schema/create-staff.json',
  type: 'object',
  additionalProperties: false,
  required: ['email', 'name', 'roles'],
  properties: { email, name: personName, roles, password: newPassword },
} as const

export const updateStaffSchema = {
  $id: 'https://negotiation-room.local/schema/update-staff.json',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { roles, disabled: { type: 'boolean' }, name: personName },
} as const

export const createApiKeySchema = {
  $id: 'https://negotiation-room.local/schema/create-api-key.json',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: 80 }, roles },
} as const

export const changePasswordSchema = {
  $id: 'https://negotiation-room.local/schema/change-password.json',
  type: 'object',
  additionalProperties: false,
  required: ['current', 'password'],
  properties: { current: password, password: newPassword },
} as const

export const validateChangePassword: (x: unknown) => Validation<ChangePasswordRequest> = compileValidator<ChangePasswordRequest>(changePasswordSchema)
export const validateLogin: (x: unknown) => Validation<LoginRequest> = compileValidator<LoginRequest>(loginSchema)
export const validateCreateOrg: (x: unknown) => Validation<CreateOrgRequest> = compileValidator<CreateOrgRequest>(createOrgSchema)
export const validateCreateStaff: (x: unknown) => Validation<CreateStaffRequest> = compileValidator<CreateStaffRequest>(createStaffSchema)
export const validateUpdateStaff: (x: unknown) => Validation<UpdateStaffRequest> = compileValidator<UpdateStaffRequest>(updateStaffSchema)
export const validateCreateApiKey: (x: unknown) => Validation<CreateApiKeyRequest> = compileValidator<CreateApiKeyRequest>(createApiKeySchema)
