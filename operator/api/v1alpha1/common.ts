/**
 * Building blocks shared by the four kinds: name formats, metav1.LabelSelector, metav1.Condition,
 * object metadata. Each mirrors the same-named part of the CRD schemas in fixtures/crds; the
 * agreement test (test/integration/crds) holds both to one table of samples.
 */
import { z } from "zod";
import { isCanonicalCidr, isCidr } from "./cidr.ts";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONDITION_REASON = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

export const dnsLabel = (max = 63) =>
  z.string().min(1).max(max).regex(DNS_LABEL, "must be a DNS-1123 label (lowercase alphanumerics and '-')");
export const dnsSubdomain = () =>
  z
    .string()
    .min(1)
    .max(253)
    .regex(DNS_SUBDOMAIN, "must be a DNS-1123 subdomain (lowercase alphanumerics, '-' and '.')");
/** Link names are capped at 32 so `siteA.siteB.linkA.linkB` (a Path name) stays within 253. */
export const LinkName = dnsLabel(32);
export const LinkType = z.enum(["mpls", "internet", "lte"]);
export type LinkType = z.infer<typeof LinkType>;

export const Cidr = z
  .string()
  .min(3)
  .max(43)
  .refine(isCidr, "must be a CIDR such as 10.0.0.0/8 or 2001:db8::/32")
  .refine((s) => !isCidr(s) || isCanonicalCidr(s), "must not have host bits set (use the network address)");

const qualifiedName = z
  .string()
  .min(1)
  .max(317)
  .regex(QUALIFIED_NAME, "must be a qualified name ([prefix/]name)");

export const LabelSelectorRequirement = z
  .strictObject({
    key: qualifiedName,
    operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
    values: z.array(z.string().max(63)).max(64).optional(),
  })
  .superRefine((r, ctx) => {
    const count = r.values?.length ?? 0;
    const needsValues = r.operator === "In" || r.operator === "NotIn";
    if (needsValues && count === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["values"],
        message: "values must be non-empty when the operator is In or NotIn",
      });
    }
    if (!needsValues && count > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["values"],
        message: "values must be empty when the operator is Exists or DoesNotExist",
      });
    }
  });

/** metav1.LabelSelector; absent or empty selects everything in the namespace. */
export const LabelSelector = z.strictObject({
  matchLabels: z
    .record(z.string(), z.string().max(63).regex(LABEL_VALUE, "must be a valid label value"))
    .refine((m) => Object.keys(m).length <= 32, "must have at most 32 labels")
    .refine(
      (m) => Object.keys(m).every((k) => k.length <= 317 && QUALIFIED_NAME.test(k)),
      "label keys must be qualified names ([prefix/]name)",
    )
    .optional(),
  matchExpressions: z.array(LabelSelectorRequirement).max(16).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

const rfc3339 = z.iso.datetime({ offset: true });

/** metav1.Condition. */
export const Condition = z.strictObject({
  type: z.string().min(1).max(316).regex(QUALIFIED_NAME, "must be a CamelCase condition type"),
  status: z.enum(["True", "False", "Unknown"]),
  observedGeneration: z.number().int().min(0).optional(),
  lastTransitionTime: rfc3339,
  reason: z.string().min(1).max(1024).regex(CONDITION_REASON, "must be a CamelCase reason"),
  message: z.string().max(32768),
});
export type Condition = z.infer<typeof Condition>;
export const Conditions = z.array(Condition).max(8);
export const Timestamp = rfc3339;
export const Generation = z.number().int().min(0);

/**
 * The metadata fields this API relies on. Loose: the apiserver adds many (managedFields, uid, …)
 * and the operator must not reject an object for fields it does not use.
 */
export const ObjectMeta = z.looseObject({
  name: z.string().min(1).max(253),
  namespace: z.string().min(1).max(63).optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  finalizers: z.array(z.string()).optional(),
  deletionTimestamp: z.union([z.string(), z.date()]).optional(),
  ownerReferences: z
    .array(
      z.looseObject({
        apiVersion: z.string(),
        kind: z.string(),
        name: z.string(),
        uid: z.string(),
        controller: z.boolean().optional(),
        blockOwnerDeletion: z.boolean().optional(),
      }),
    )
    .optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

export const dnsLabelPattern = DNS_LABEL;
