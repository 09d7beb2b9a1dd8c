/**
 * Field shapes every kind's schema shares: strings, lists, the hashed tags, and the values AWS can
 * return for addresses, CIDRs, protocols, ports, accounts, regions and times.
 *
 * A snapshot may be written by hand or by another tool, so each of these accepts only what the EC2 /
 * SageMaker APIs could answer: a value the analyzer cannot read (a CIDR `0.0.0.0/33`, a protocol `foo`,
 * a port 70000) would otherwise make a rule skip the resource silently. The CIDR and address syntax is
 * the net algebra's (analyze/net/ip.ts: dotted quads without leading zeros, RFC 4291 IPv6 text with
 * "::" and an optional embedded IPv4 tail, host bits allowed); it is restated here because inventory/
 * may not import analyze/.
 */
import { z } from 'zod';
import { TAG_VALUE_HASH } from '../tags.ts';

export const str = z.string();
export const optStr = z.string().optional();
export const strList = z.array(z.string());

/**
 * A resource's tags: key as AWS gives it -> `sha256:<hex>` of the value (never the value itself).
 * Absent when the tags were not read (older snapshots, a failed ListTags); `{}` when read and none.
 */
export const TagsSchema = z
  .record(
    z.string().min(1),
    z
      .string()
      .regex(TAG_VALUE_HASH, { error: 'must be a tag-value hash (sha256:<64 hex>), never the value' }),
  )
  .describe(
    'Tag key -> "sha256:<hex>" of the value (never the value). Absent when the tags were not read; {} when read and none.',
  );
export const tags = TagsSchema.optional();

/**
 * The value of an EC2 resource's `Name` tag, readable: what the console and every peer show beside the
 * id. The only tag value kept as given (its hash stays in `tags` too, for tags suppressions); absent
 * when the resource has no Name tag, when its tags were not read, and when names are hashed
 * (`--hash-names`, HASH_NAMES). EC2 tag values are at most 256 characters.
 */
export const nameTag = z
  .string()
  .max(256)
  .optional()
  .describe('The value of the Name tag, readable (absent with no Name tag, or when names are hashed).');

// ---------------------------------------------------------------- addresses and CIDRs

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const IPV4_RE = new RegExp(`^${IPV4}$`);
const HEXGROUP = /^[0-9a-fA-F]{1,4}$/;

/** Whether `s` is IPv6 address text the net algebra reads (RFC 4291 section 2.2, no zone id). */
export function isIpv6Address(s: string): boolean {
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const compressed = halves.length === 2;
  const parts = (h: string) => (h === '' ? [] : h.split(':'));
  const head = parts(halves[0] as string);
  const tail = compressed ? parts(halves[1] as string) : [];
  const all = [...head, ...tail];
  let groups = 0;
  for (const [i, g] of all.entries()) {
    if (HEXGROUP.test(g)) groups += 1;
    // An embedded IPv4 address only as the last part, after "::" when there is one.
    else if (i === all.length - 1 && IPV4_RE.test(g) && (!compressed || tail.length > 0)) groups += 2;
    else return false;
  }
  return compressed ? groups <= 7 : groups === 8;
}

export function isIpv4Address(s: string): boolean {
  return IPV4_RE.test(s);
}

/** Whether `s` is "address/prefix" of the family (IPv4 prefix 0-32, IPv6 0-128). */
export function isCidr(s: string, family: 4 | 6): boolean {
  const m = /^([^/]+)\/(0|[1-9][0-9]{0,2})$/.exec(s);
  if (!m) return false;
  const prefix = Number(m[2]);
  const addr = m[1] as string;
  return family === 4 ? prefix <= 32 && isIpv4Address(addr) : prefix <= 128 && isIpv6Address(addr);
}

const IPV6_CHARS = '[0-9a-fA-F:.]{2,45}';
const PREFIX = '(?:0|[1-9][0-9]{0,2})';

/** An IPv4 CIDR as AWS returns it: "10.0.0.0/16". */
export const cidr4 = z.string().regex(new RegExp(`^${IPV4}/(?:3[0-2]|[12][0-9]|[0-9])$`), {
  error: 'must be an IPv4 CIDR such as 10.0.0.0/16 (four octets 0-255, prefix length 0-32)',
});

/** An IPv6 CIDR as AWS returns it: "2600:1f18::/56". */
export const cidr6 = z
  .string()
  .regex(new RegExp(`^${IPV6_CHARS}/${PREFIX}$`), {
    error: 'must be an IPv6 CIDR such as 2600:1f18::/56 (prefix length 0-128)',
  })
  .refine((s) => isCidr(s, 6), {
    error: 'must be an IPv6 CIDR such as 2600:1f18::/56 (prefix length 0-128)',
  });

/** A CIDR of either family (prefix-list entries). */
export const cidr = z
  .string()
  .regex(new RegExp(`^(?:${IPV4}|${IPV6_CHARS})/${PREFIX}$`), {
    error: 'must be an IPv4 or IPv6 CIDR (prefix length 0-32 / 0-128)',
  })
  .refine((s) => isCidr(s, 4) || isCidr(s, 6), {
    error: 'must be an IPv4 or IPv6 CIDR (prefix length 0-32 / 0-128)',
  });

export const ipv4Address = z.string().regex(IPV4_RE, { error: 'must be an IPv4 address such as 10.0.0.5' });

export const ipv6Address = z
  .string()
  .regex(new RegExp(`^${IPV6_CHARS}$`), { error: 'must be an IPv6 address' })
  .refine(isIpv6Address, { error: 'must be an IPv6 address' });

// ---------------------------------------------------------------- protocols and ports

/**
 * An IP protocol as the EC2 API gives it on a security-group rule or NACL entry: "-1" (all), a name
 * (tcp, udp, icmp, icmpv6; "all" is read like -1) or a protocol number 0-255 as a decimal string.
 */
export const ipProtocol = z
  .string()
  .regex(/^(?:-1|all|tcp|udp|icmp|icmpv6|25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$/, {
    error: 'must be an IP protocol: -1, tcp, udp, icmp, icmpv6 or a protocol number 0-255',
  });

/** How a protocol's port fields read: TCP/UDP ports, ICMP type/code, or ignored (all, other numbers). */
export function protocolPortKind(protocol: string): 'ports' | 'icmp' | 'none' {
  if (protocol === 'tcp' || protocol === 'udp' || protocol === '6' || protocol === '17') return 'ports';
  if (protocol === 'icmp' || protocol === 'icmpv6' || protocol === '1' || protocol === '58') return 'icmp';
  return 'none';
}

/** A port 0-65535. */
export const port = z.number().int().min(0).max(65535);

/** A port field that may also be -1 (all ports / types / codes, or ignored for protocol -1). */
export const portOrAll = z.number().int().min(-1).max(65535);

/** An ICMP type or code: 0-255, or -1 for all. */
export const icmpNumber = z.number().int().min(-1).max(255);

// ---------------------------------------------------------------- accounts, regions, times

export const accountId = z.string().regex(/^[0-9]{12}$/, { error: 'must be a 12-digit AWS account id' });

/** A region name: us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1, us-isob-east-1, ... */
export const regionName = z
  .string()
  .regex(/^[a-z]{2,4}(?:-[a-z]+)+-[1-9][0-9]?$/, { error: 'must be an AWS region name such as eu-west-1' });

/** aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-eusc, ... */
export const partitionName = z
  .string()
  .regex(/^aws(?:-[a-z]+)*$/, { error: 'must be an AWS partition name such as aws or aws-cn' });

/** An ISO 8601 date-time with a time zone, as the SDK's Date serializes. */
export const isoTimestamp = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a time zone, such as 2025-01-31T12:00:00.000Z',
});
