// A test-only Worker for workers.test.ts: each request calls the Beacon Worker's `scheduled()`
// handler through a service binding (workerd's `service_binding_extra_handlers`), the way
// workerd's cron module fires an occurrence, and answers the outcome as JSON.
export default {
  async fetch(req, env) {
    const cron = new URL(req.url).searchParams.get('cron') ?? '* * * * *';
    const result = await env.BEACON.scheduled({ scheduledTime: new Date(), cron });
    return Response.json(result);
  },
};
