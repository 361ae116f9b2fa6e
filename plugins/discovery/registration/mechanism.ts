/**
 * The `registration_sd_configs` mechanism: each entry binds itself to the hub while it runs and
 * reports one target group per registration of its job, with empty groups for those gone.
 * @module
 */
import type { RegistrationSDConfig } from '../../../core/config/mod.ts';
import type { Discoverer, DiscoveryMechanism, TargetGroup } from '../../../core/discovery/mod.ts';
import type { RegistrationHub } from './hub.ts';

/** The mechanism serving `registration_sd_configs` from `hub`. */
export function registrationMechanism(
  hub: RegistrationHub,
): DiscoveryMechanism<RegistrationSDConfig> {
  return {
    configKey: 'registration_sd_configs',
    create(cfg, ctx): Discoverer {
      return {
        run(signal, onUpdate) {
          if (signal.aborted) return;
          let sent = new Set<string>();
          const send = () => {
            if (signal.aborted) return;
            const groups: TargetGroup[] = hub.groupsFor(ctx.setName, ctx.index, cfg);
            const now = new Set(groups.map((g) => g.source));
            for (const s of sent) {
              if (!now.has(s)) groups.push({ source: s, targets: [], labels: {} });
            }
            sent = now;
            onUpdate(groups);
          };
          const unbind = hub.bind(ctx.setName, ctx.index, cfg, send);
          signal.addEventListener('abort', unbind, { once: true });
          send();
        },
      };
    },
  };
}
