// The order in which `docker compose config` (v2.26) prints the fields of each part of a project:
// its Go types' field order, read off the oracle's output (test/conformance/config-oracle.test.ts
// checks it). Keys a list does not name follow in alphabetical order, then `x-` extensions. Mappings
// the user names (services, environment, labels, ...) are printed sorted, as Go's YAML writer does.

export const TOP_ORDER = ['name', 'services', 'networks', 'volumes', 'secrets', 'configs', 'models'];

export const SERVICE_ORDER = [
  'profiles',
  'annotations',
  'attach',
  'build',
  'develop',
  'blkio_config',
  'cap_add',
  'cap_drop',
  'cgroup_parent',
  'cgroup',
  'cpu_count',
  'cpu_percent',
  'cpu_period',
  'cpu_quota',
  'cpu_rt_period',
  'cpu_rt_runtime',
  'cpus',
  'cpuset',
  'cpu_shares',
  'command',
  'configs',
  'container_name',
  'credential_spec',
  'depends_on',
  'deploy',
  'device_cgroup_rules',
  'devices',
  'dns',
  'dns_opt',
  'dns_search',
  'dockerfile',
  'domainname',
  'entrypoint',
  'environment',
  'env_file',
  'expose',
  'extends',
  'external_links',
  'extra_hosts',
  'gpus',
  'group_add',
  'hostname',
  'healthcheck',
  'image',
  'init',
  'ipc',
  'isolation',
  'labels',
  'label_file',
  'links',
  'logging',
  'mem_limit',
  'mem_reservation',
  'memswap_limit',
  'mem_swappiness',
  'mac_address',
  'models',
  'network_mode',
  'networks',
  'oom_kill_disable',
  'oom_score_adj',
  'pid',
  'pids_limit',
  'platform',
  'ports',
  'privileged',
  'provider',
  'pull_policy',
  'pull_refresh_after',
  'read_only',
  'restart',
  'runtime',
  'scale',
  'secrets',
  'security_opt',
  'shm_size',
  'stdin_open',
  'stop_grace_period',
  'stop_signal',
  'storage_opt',
  'sysctls',
  'tmpfs',
  'tty',
  'ulimits',
  'use_api_socket',
  'user',
  'userns_mode',
  'uts',
  'volumes',
  'volumes_from',
  'working_dir',
  'pre_start',
  'post_start',
  'pre_stop',
];

export const BUILD_ORDER = [
  'context',
  'dockerfile',
  'dockerfile_inline',
  'entitlements',
  'args',
  'ssh',
  'labels',
  'cache_from',
  'cache_to',
  'no_cache',
  'no_cache_filter',
  'additional_contexts',
  'pull',
  'extra_hosts',
  'isolation',
  'network',
  'target',
  'secrets',
  'shm_size',
  'tags',
  'ulimits',
  'platforms',
  'privileged',
  'provenance',
  'sbom',
];

export const DEPENDS_ON_ORDER = ['condition', 'restart', 'required'];
export const HEALTHCHECK_ORDER = [
  'test',
  'timeout',
  'interval',
  'retries',
  'start_period',
  'start_interval',
  'disable',
];
export const PORT_ORDER = ['name', 'mode', 'host_ip', 'target', 'published', 'protocol', 'app_protocol'];
export const MOUNT_ORDER = [
  'type',
  'source',
  'target',
  'read_only',
  'consistency',
  'bind',
  'volume',
  'tmpfs',
  'image',
];
export const BIND_ORDER = ['selinux', 'propagation', 'create_host_path', 'recursive'];
export const VOLUME_OPTIONS_ORDER = ['labels', 'nocopy', 'subpath'];
export const TMPFS_ORDER = ['size', 'mode'];
export const FILE_REF_ORDER = ['source', 'target', 'uid', 'gid', 'mode'];
export const DEVICE_ORDER = ['source', 'target', 'permissions'];
export const HOOK_ORDER = [
  'command',
  'image',
  'user',
  'privileged',
  'working_dir',
  'environment',
  'per_replica',
];
export const WATCH_ORDER = ['path', 'action', 'target', 'exec', 'ignore', 'include', 'initial_sync'];
export const LOGGING_ORDER = ['driver', 'options'];
export const ATTACHMENT_ORDER = [
  'priority',
  'gw_priority',
  'aliases',
  'ipv4_address',
  'ipv6_address',
  'link_local_ips',
  'mac_address',
  'driver_opts',
  'interface_name',
];
export const DEPLOY_ORDER = [
  'mode',
  'replicas',
  'labels',
  'update_config',
  'rollback_config',
  'resources',
  'restart_policy',
  'placement',
  'endpoint_mode',
];
export const ROLLOUT_ORDER = [
  'parallelism',
  'delay',
  'failure_action',
  'monitor',
  'max_failure_ratio',
  'order',
];
export const RESOURCE_ORDER = ['cpus', 'memory', 'pids', 'devices', 'generic_resources'];
export const DEVICE_REQUEST_ORDER = ['capabilities', 'driver', 'count', 'device_ids', 'options'];
export const RESTART_POLICY_ORDER = ['condition', 'delay', 'max_attempts', 'window'];
export const PLACEMENT_ORDER = ['constraints', 'preferences', 'max_replicas_per_node'];
export const BLKIO_ORDER = [
  'weight',
  'weight_device',
  'device_read_bps',
  'device_read_iops',
  'device_write_bps',
  'device_write_iops',
];
export const NETWORK_ORDER = [
  'name',
  'driver',
  'driver_opts',
  'ipam',
  'external',
  'internal',
  'attachable',
  'labels',
  'enable_ipv4',
  'enable_ipv6',
];
export const IPAM_ORDER = ['driver', 'config', 'options'];
export const IPAM_POOL_ORDER = ['subnet', 'gateway', 'ip_range', 'aux_addresses'];
export const VOLUME_ORDER = ['name', 'driver', 'driver_opts', 'external', 'labels'];
export const FILE_OBJECT_ORDER = [
  'name',
  'file',
  'environment',
  'content',
  'external',
  'labels',
  'driver',
  'driver_opts',
  'template_driver',
];
