// The Routes editor's commands and "Test connection" (src-tauri/src/commands/routing.rs).

import type { ConnectionVerdict, RoutePlan, RoutePlanView } from './bindings';
import { call } from './call';

export const routePlan = () => call<RoutePlanView>('route_plan');
/** Rejects with field errors keyed like `routes.write[1].model`. */
export const saveRoutePlan = (plan: RoutePlan) => call<RoutePlanView>('save_route_plan', { plan });
/** Sends the provider one tiny request with the key and address a run would use; the key never comes back. */
export const testConnection = (provider: string) => call<ConnectionVerdict>('test_connection', { provider });
