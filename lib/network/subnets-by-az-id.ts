/**
 * Puts a VPC's subnets in Availability Zones chosen by ID. ec2.Vpc only takes AZ *names*, whose meaning
 * differs per account (and which CDK can only look up with credentials); AWS::EC2::Subnet takes
 * `AvailabilityZoneId` instead, so each subnet's `AvailabilityZone` (an Fn::GetAZs pick in a stack without
 * a known account) is swapped for the ID. The template then needs no lookup: synth stays offline.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-subnet.html
 * ("AvailabilityZoneId: The AZ ID of the subnet"; AvailabilityZone and AvailabilityZoneId are alternatives)
 */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnSubnet } from 'aws-cdk-lib/aws-ec2';

/**
 * Pins subnet i of each subnet group to azIds[i]. The VPC must span exactly azIds.length AZs (maxAzs), so
 * every group has one subnet per ID. Returns the pinned subnets' AZ IDs in subnet order (for tests).
 */
export function pinSubnetsToAzIds(vpc: ec2.Vpc, azIds: readonly string[]): string[] {
  const groups = [vpc.publicSubnets, vpc.privateSubnets, vpc.isolatedSubnets].filter((g) => g.length > 0);
  const pinned: string[] = [];
  for (const group of groups) {
    if (group.length !== azIds.length) {
      throw new Error(`pinSubnetsToAzIds: a subnet group has ${group.length} subnets for ${azIds.length} AZ IDs`);
    }
    group.forEach((subnet, i) => {
      const cfn = subnet.node.defaultChild;
      if (!(cfn instanceof CfnSubnet)) throw new Error(`pinSubnetsToAzIds: ${subnet.node.path} is not a CfnSubnet`);
      const azId = azIds[i] as string;
      cfn.availabilityZone = undefined;
      cfn.availabilityZoneId = azId;
      pinned.push(azId);
    });
  }
  return pinned;
}
