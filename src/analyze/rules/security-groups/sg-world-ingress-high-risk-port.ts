import { z } from 'zod';
import { describeRule, listPorts, ruleEvidence, worldPortIngress } from '../../aws/security-groups.ts';
import { securityGroupResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

/**
 * FSBP EC2.19's high-risk ports (without 22 and 3389, which sg-world-ingress-admin-port reports), plus
 * ports of ML tooling that is routinely started without authentication.
 */
export const HIGH_RISK_PORTS: readonly number[] = [
  // FSBP EC2.19
  20, 21, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888,
  9200, 9300,
  // ML: NFS of Studio's EFS, TensorBoard, RStudio, Ray (dashboard, client, GCS/Redis), Gradio, Streamlit, Prometheus
  2049,
  6006, 8787, 8265, 10001, 6379, 7860, 8501, 9090,
].sort((a, b) => a - b);

const Options = z
  .object({
    /** The high-risk ports. */
    ports: z
      .array(z.number().int().min(0).max(65535))
      .min(1)
      .default(() => [...HIGH_RISK_PORTS]),
  })
  .strict();

export default defineRule({
  meta: {
    id: 'sg-world-ingress-high-risk-port',
    title: 'Security group admits the internet to a high-risk port',
    severity: 'HIGH',
    category: 'security-groups',
    rationale:
      'Databases, file shares, mail, search clusters and ML tooling (Jupyter, TensorBoard, Ray, Gradio, Streamlit, RStudio) are scanned for continuously and often run without authentication; open to the internet they expose training data, model artifacts and remote code execution (a Ray dashboard or a Jupyter server runs any code it is sent).',
    remediation:
      'Remove the rule, or narrow its source to the security groups or private CIDRs that need the service. Reach notebooks and dashboards through SageMaker presigned URLs, SSM port forwarding or a VPN, never a public port.',
    references: ['FSBP EC2.19'],
    docs: `Fails for each security group with an **inbound** rule from world (see sg-world-ingress-all-ports for the definition) that reaches a high-risk port over TCP, UDP or all protocols (\`-1\`). A port range that contains the port counts (e.g. TCP 3000-3500 reaches 3000 and 3306).

Default ports: FSBP EC2.19's list (20, 21, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888, 9200, 9300) without 22 and 3389, which sg-world-ingress-admin-port reports, plus ML ports: 2049 (NFS, the EFS volume of SageMaker Studio), 6006 (TensorBoard), 8787 (RStudio), 8265 / 10001 / 6379 (Ray dashboard, client, GCS), 7860 (Gradio), 8501 (Streamlit), 9090 (Prometheus).

The AWS Config rule behind EC2.19 (restricted-common-ports) checks TCP only; this rule counts UDP too (1434 is the UDP SQL Server browser, 2049 and 135 answer on UDP). Customer-managed prefix lists are expanded to their entries; AWS-managed lists and security-group references are never world.

Does not fail: 3306 from a private or narrow CIDR (\`10.0.0.0/8\`, \`203.0.113.0/24\`) or from another security group; 80 and 443 from world (a load balancer); ICMP from world; outbound rules.

Option \`ports\`: the high-risk ports (replaces the default list).`,
    needs: ['securityGroups', 'prefixLists'],
    options: Options,
  },
  evaluate({ scope, index, options }) {
    const prefixLists = index.prefixLists();
    const highRisk = [...new Set(options.ports)].sort((a, b) => a - b);
    return scope.securityGroups.flatMap((sg) => {
      const offending = worldPortIngress(sg, prefixLists).flatMap((w) => {
        const ports = highRisk.filter((p) => w.space.ports?.containsPort(p));
        return ports.length ? [{ ...w, ports }] : [];
      });
      if (offending.length === 0) return [];
      const ports = [...new Set(offending.flatMap((o) => o.ports))].sort((a, b) => a - b);
      const noun = ports.length === 1 ? 'high-risk port' : `${ports.length} high-risk ports`;
      return [
        {
          resource: securityGroupResource(scope, sg),
          message: `Security group ${sg.groupId} (${sg.groupName}) admits the internet to ${noun} ${listPorts(ports)}: ${offending.map((o) => describeRule(o.rule, o.peer, o.world)).join('; ')}.`,
          evidence: {
            vpcId: sg.vpcId ?? null,
            ports,
            rules: offending.map((o) => ({
              ...ruleEvidence(o.rule, o.peer),
              worldCidrs: o.world,
              ports: o.ports,
            })),
          },
        },
      ];
    });
  },
});
