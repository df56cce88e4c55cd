// How crashcourse uses Debian's Box2D 2.4.1 safely from many threads, and fast.
#pragma once

namespace sim {

/// Call before creating any b2World (make_world does). Idempotent and thread-safe.
///
/// Box2D 2.4.1 fills its table of contact factories lazily, on the first contact any world ever
/// creates (b2Contact::s_initialized): two envs making their first contact on two threads at once
/// would race on it. This makes one contact, once, before any env can run.
void initialise_box2d();

}  // namespace sim
