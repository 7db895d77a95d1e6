/**
 * What a registered service instance looks like, field for field as Curator's ServiceInstance
 * is serialized by its JsonInstanceSerializer, so Java and TypeScript services can discover
 * each other.
 * @module
 */
import { ZkError } from '@zkts/client';
import { randomId } from '../util/random-id.js';

/**
 * How an instance is registered (Curator's ServiceType): `DYNAMIC` instances are ephemeral
 * nodes that vanish with their session; `STATIC` and `PERMANENT` ones are persistent.
 */
export type ServiceType = 'DYNAMIC' | 'STATIC' | 'PERMANENT';

/** A registered instance of a service. */
export interface ServiceInstance<P = unknown> {
  /** The service name. */
  readonly name: string;
  /** Unique id of this instance within the service. */
  readonly id: string;
  readonly address: string | null;
  readonly port: number | null;
  readonly sslPort: number | null;
  /** Anything JSON-serializable the instance wants to advertise. */
  readonly payload: P | null;
  /** When the instance was built, in milliseconds since the epoch. */
  readonly registrationTimeUTC: number;
  readonly serviceType: ServiceType;
  /** Disabled instances stay registered but providers skip them. */
  readonly enabled: boolean;
}

/** What {@link buildServiceInstance} needs; everything but the name has a default. */
export interface ServiceInstanceInit<P = unknown> {
  /** Default: a random UUID. */
  readonly id?: string;
  readonly address?: string | null;
  readonly port?: number | null;
  readonly sslPort?: number | null;
  readonly payload?: P | null;
  /** Default `DYNAMIC`. */
  readonly serviceType?: ServiceType;
  /** Default true. */
  readonly enabled?: boolean;
  /** Default: now. */
  readonly registrationTimeUTC?: number;
}

const SERVICE_TYPES: readonly ServiceType[] = ['DYNAMIC', 'STATIC', 'PERMANENT'];

/** Builds an instance of service `name` (Curator's `ServiceInstance.builder()`). */
export function buildServiceInstance<P>(name: string, init: ServiceInstanceInit<P> = {}): ServiceInstance<P> {
  const id = init.id ?? randomId();
  if (name === '' || name.includes('/') || id === '' || id.includes('/')) {
    throw new ZkError('BAD_ARGUMENTS', { message: `A service name and instance id are non-empty and have no slash: '${name}', '${id}'` });
  }
  return {
    name,
    id,
    address: init.address ?? null,
    port: init.port ?? null,
    sslPort: init.sslPort ?? null,
    payload: init.payload ?? null,
    registrationTimeUTC: init.registrationTimeUTC ?? Date.now(),
    serviceType: init.serviceType ?? 'DYNAMIC',
    enabled: init.enabled ?? true,
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The JSON bytes stored in an instance's node. */
export function serializeServiceInstance(instance: ServiceInstance<unknown>): Uint8Array {
  return encoder.encode(JSON.stringify(instance));
}

/**
 * Parses an instance node's bytes. Fields Curator may add (`uriSpec`, …) are ignored.
 * @throws ZkError MARSHALLING_ERROR for bytes that are not an instance.
 */
export function deserializeServiceInstance<P>(bytes: Uint8Array | null, path?: string): ServiceInstance<P> {
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(bytes ?? new Uint8Array(0)));
  } catch (error) {
    throw new ZkError('MARSHALLING_ERROR', { path, message: 'Service instance data is not JSON', cause: error });
  }
  const value = raw as Partial<Record<keyof ServiceInstance, unknown>> | null;
  if (value === null || typeof value !== 'object' || typeof value.name !== 'string' || typeof value.id !== 'string') {
    throw new ZkError('MARSHALLING_ERROR', { path, message: 'Service instance data has no name and id' });
  }
  const serviceType = SERVICE_TYPES.find((type) => type === value.serviceType) ?? 'DYNAMIC';
  return {
    name: value.name,
    id: value.id,
    address: typeof value.address === 'string' ? value.address : null,
    port: typeof value.port === 'number' ? value.port : null,
    sslPort: typeof value.sslPort === 'number' ? value.sslPort : null,
    payload: (value.payload ?? null) as P | null,
    registrationTimeUTC: typeof value.registrationTimeUTC === 'number' ? value.registrationTimeUTC : 0,
    serviceType,
    enabled: value.enabled !== false,
  };
}

/** True if two instances carry the same registration. */
export function sameInstance(a: ServiceInstance<unknown>, b: ServiceInstance<unknown>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
