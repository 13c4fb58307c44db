/** MSK preconditions: the AZ IDs, the Kafka version and the broker type the cluster is created with. */

import type { _InstanceType } from '@aws-sdk/client-ec2';
import { DescribeAvailabilityZonesCommand, DescribeInstanceTypeOfferingsCommand } from '@aws-sdk/client-ec2';
import { type KafkaVersion, ListKafkaVersionsCommand } from '@aws-sdk/client-kafka';
import { CONTEXT_KEYS } from '../../lib/config';
import { validateMskAzIds } from '../../lib/network/msk-availability-zones';
import { type Check, fail, pass } from './types';

export const azCheck: Check = {
  id: 'availability-zones',
  description: `The AZ IDs of the VPC and the brokers (-c ${CONTEXT_KEYS.mskAzIds}, or the region's default) exist and are available in this account (DescribeAvailabilityZones) and are not ones MSK refuses for client subnets.`,
  source:
    'https://docs.aws.amazon.com/msk/1.0/apireference/clusters.html#clusters-model-brokernodegroupinfo and https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html',
  calls: ['ec2:DescribeAvailabilityZones'],
  run: async (plan, { ec2 }) => {
    const region = plan.config.region;
    const rules = validateMskAzIds(region, plan.azIds);
    if (rules.length > 0) return fail(rules.join(' '));
    const zones = (await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones ?? [];
    const byId = new Map(zones.map((z) => [z.ZoneId ?? '', z]));
    const usable = zones.filter((z) => z.State === 'available' && z.ZoneType === 'availability-zone');
    const missing = plan.azIds.filter((id) => byId.get(id)?.State !== 'available');
    if (missing.length > 0) {
      const offered = usable.map((z) => z.ZoneId).join(', ');
      return fail(
        `AZ ID${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not available to this account in ${region} (it has ${offered || 'none'}): pass two of those with -c ${CONTEXT_KEYS.mskAzIds}=<id>,<id>.`,
      );
    }
    return pass(`${plan.azIds.map((id) => `${id} (${byId.get(id)?.ZoneName})`).join(', ')}.`);
  },
};

export const kafkaVersionCheck: Check = {
  id: 'msk-kafka-version',
  description: `The MSK Kafka version (-c ${CONTEXT_KEYS.mskKafkaVersion}) is offered and ACTIVE in the region (ListKafkaVersions).`,
  source: 'https://docs.aws.amazon.com/msk/latest/developerguide/supported-kafka-versions.html',
  calls: ['kafka:ListKafkaVersions'],
  run: async (plan, { kafka }) => {
    const versions: KafkaVersion[] = [];
    let token: string | undefined;
    do {
      const page = await kafka.send(new ListKafkaVersionsCommand({ NextToken: token }));
      versions.push(...(page.KafkaVersions ?? []));
      token = page.NextToken;
    } while (token);
    const wanted = plan.config.msk.kafkaVersion;
    const found = versions.find((v) => v.Version === wanted);
    if (found?.Status === 'ACTIVE') return pass(`${wanted} is ACTIVE.`);
    const active = versions.filter((v) => v.Status === 'ACTIVE').map((v) => v.Version);
    return fail(
      `MSK Kafka version ${wanted} is ${found ? found.Status : 'not offered'} in ${plan.config.region}: pass an ACTIVE one (${active.join(', ') || 'none listed'}) with -c ${CONTEXT_KEYS.mskKafkaVersion}=<version>.`,
    );
  },
};

/**
 * Broker types MSK documents for provisioned Standard brokers. MSK has no API listing the types a region
 * offers; a broker runs on the EC2 type of the same name, so the EC2 offering in each chosen AZ is the
 * read-only check that exists (necessary, not sufficient: CreateCluster has the final word).
 */
const MSK_BROKER_TYPE = /^kafka\.(t3\.small|m5\.(large|x?large|\d+xlarge)|m7g\.(large|xlarge|\d+xlarge))$/;

export const brokerTypeCheck: Check = {
  id: 'msk-broker-type',
  description: `The broker type (-c ${CONTEXT_KEYS.mskInstanceType}) is a documented MSK Standard broker type whose EC2 instance type is offered in every chosen AZ ID (DescribeInstanceTypeOfferings by availability-zone-id).`,
  source:
    'https://docs.aws.amazon.com/msk/latest/developerguide/broker-instance-sizes.html and https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypeOfferings.html',
  calls: ['ec2:DescribeInstanceTypeOfferings'],
  run: async (plan, { ec2 }) => {
    const brokerType = plan.config.msk.instanceType;
    if (!MSK_BROKER_TYPE.test(brokerType)) {
      return fail(
        `${brokerType} is not an MSK Standard broker type (kafka.t3.small, kafka.m5.*, kafka.m7g.*): pass one with -c ${CONTEXT_KEYS.mskInstanceType}=<type>.`,
      );
    }
    const ec2Type = brokerType.slice('kafka.'.length) as _InstanceType;
    const offers =
      (
        await ec2.send(
          new DescribeInstanceTypeOfferingsCommand({
            LocationType: 'availability-zone-id',
            Filters: [
              { Name: 'instance-type', Values: [ec2Type] },
              { Name: 'location', Values: [...plan.azIds] },
            ],
          }),
        )
      ).InstanceTypeOfferings ?? [];
    const offeredIn = new Set(offers.map((o) => o.Location));
    const missing = plan.azIds.filter((id) => !offeredIn.has(id));
    if (missing.length > 0) {
      return fail(
        `${ec2Type} (the EC2 type behind ${brokerType}) is not offered in ${missing.join(', ')}: choose other AZ IDs with -c ${CONTEXT_KEYS.mskAzIds} or another type with -c ${CONTEXT_KEYS.mskInstanceType}.`,
      );
    }
    return pass(`${brokerType}: ${ec2Type} offered in ${plan.azIds.join(', ')}.`);
  },
};
