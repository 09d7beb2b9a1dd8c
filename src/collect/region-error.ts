/**
 * The regions to collect could not be resolved (e.g. `--regions all` and ec2:DescribeRegions failed).
 * Its own module, free of the AWS SDK, so the CLI can tell it apart without loading a collector.
 */
export class RegionResolutionError extends Error {
  override readonly name = 'RegionResolutionError';
}
