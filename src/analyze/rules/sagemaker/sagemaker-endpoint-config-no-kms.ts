import { z } from 'zod';
import { endpointsByConfig } from '../../aws/sagemaker-hosting.ts';
import { endpointConfigResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

/**
 * SageMaker hosting instance families with NVMe instance storage. CreateEndpointConfig rejects a
 * KmsKeyId when any variant uses one: the local volumes are encrypted by the instance's hardware.
 */
const LOCAL_STORAGE_FAMILIES = [
  'c5d',
  'c6id',
  'g4ad',
  'g4dn',
  'g5',
  'g6',
  'g6e',
  'gr6',
  'm5d',
  'm6id',
  'p3dn',
  'p4d',
  'p4de',
  'p5',
  'p5e',
  'p5en',
  'r5d',
  'r6id',
  'trn1',
  'trn1n',
];

const Options = z
  .object({
    /** Instance families (as in ml.<family>.<size>) whose variants cannot take a KmsKeyId. */
    localStorageInstanceFamilies: z.array(z.string().min(1)).default(LOCAL_STORAGE_FAMILIES),
  })
  .strict();

/** "ml.g5.xlarge" -> "g5". */
function familyOf(instanceType: string): string {
  const parts = instanceType.split('.');
  return (parts[0] === 'ml' ? parts[1] : parts[0]) ?? instanceType;
}

export default defineRule({
  meta: {
    id: 'sagemaker-endpoint-config-no-kms',
    title: 'Endpoint config does not encrypt its storage volumes with a KMS key',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'Without a KmsKeyId, the storage volumes attached to the endpoint’s instances are encrypted with a SageMaker-managed key: you cannot restrict or audit who decrypts the model artifacts and any captured data on them, nor revoke access by disabling the key.',
    remediation:
      'Create a new endpoint config with KmsKeyId set to a customer managed KMS key (CreateEndpointConfig KmsKeyId; the SageMaker Python SDK deploy(kms_key=...)) whose key policy lets the endpoint’s execution role use it, and UpdateEndpoint to it. Endpoint configs cannot be changed in place.',
    references: ['Config sagemaker-endpoint-configuration-kms-key-configured'],
    docs: `Fails for each endpoint config without a \`KmsKeyId\`, like the Config rule.

Severity is lowered to INFO when a production variant runs on an instance type with local NVMe storage (option \`localStorageInstanceFamilies\`, default the SageMaker hosting families with instance store such as g4dn, g5, p4d, m5d): CreateEndpointConfig rejects a KmsKeyId for such configs, and the local volumes are encrypted by the instance's hardware module, so there is nothing to set.

Does not fail: a config with a KmsKeyId (whether the key is customer managed and usable is not checked).

Cannot see: the encryption of the model artifacts in S3 or of data capture output (DataCaptureConfig.KmsKeyId). Endpoint configs are read through the endpoints that use them.`,
    needs: ['endpointConfigs', 'endpoints'],
    options: Options,
  },
  evaluate({ scope, options }) {
    const endpoints = endpointsByConfig(scope);
    const local = new Set(options.localStorageInstanceFamilies);
    return scope.endpointConfigs
      .filter((c) => !c.kmsKeyId)
      .map((c) => {
        const users = endpoints.get(c.endpointConfigName) ?? [];
        const localVariants = c.productionVariants.filter(
          (v) => !v.serverless && v.instanceType !== undefined && local.has(familyOf(v.instanceType)),
        );
        const used = users.length
          ? ` (used by endpoint${users.length > 1 ? 's' : ''} ${users.join(', ')})`
          : '';
        const message = localVariants.length
          ? `Endpoint config ${c.endpointConfigName}${used} has no KmsKeyId, but variant ${localVariants.map((v) => `${v.variantName} runs on ${v.instanceType}`).join(', ')} with local NVMe storage, which the instance's hardware encrypts and for which SageMaker rejects a KmsKeyId.`
          : `Endpoint config ${c.endpointConfigName}${used} has no KmsKeyId: the storage volumes of its instances (variants ${c.productionVariants.map((v) => v.variantName).join(', ') || 'none'}) are encrypted with a SageMaker-managed key, not one you control.`;
        return {
          resource: endpointConfigResource(scope, c),
          message,
          ...(localVariants.length ? { severity: 'INFO' as const } : {}),
          evidence: {
            kmsKeyId: null,
            endpoints: users,
            variants: c.productionVariants.map((v) => ({
              variantName: v.variantName,
              instanceType: v.instanceType ?? null,
              serverless: v.serverless,
            })),
            ...(localVariants.length
              ? {
                  severityReason: `KmsKeyId cannot be set: variant ${localVariants.map((v) => v.variantName).join(', ')} uses an instance type with local storage encrypted by the instance.`,
                }
              : {}),
          },
          ...(localVariants.length
            ? {
                remediation:
                  'Nothing to set while the config uses instance types with local storage: their NVMe volumes are encrypted by the instance. Encrypt the model artifacts in S3 and the data capture output with a customer managed key instead.',
              }
            : {}),
        };
      });
  },
});
