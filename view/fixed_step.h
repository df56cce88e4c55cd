// FixedStepClock: the accumulator that turns frame time into simulation steps, so the viewer runs
// the simulation with its fixed dt whatever the frame rate (Glenn Fiedler's "Fix your timestep").
// Each frame adds frame_seconds × speed to the accumulator and takes floor(accumulator / dt)
// steps; the remainder carries over. A frame owed more than max_steps (a stall, a window drag)
// takes max_steps and drops the backlog instead of spiralling. The sim's dt never depends on the
// frame time: only how many fixed steps a frame takes does.
#pragma once

namespace view {

class FixedStepClock {
 public:
  /// dt: s per simulation step; max_steps: the most steps one frame may take.
  FixedStepClock(double dt, int max_steps);

  /// Simulation seconds per wall second: 1, 2, 4 ...; 0 pauses (and discards what was owed).
  void set_speed(double speed);
  double speed() const { return speed_; }

  /// Steps due after a frame that lasted frame_seconds (negative or non-finite counts as 0).
  int advance(double frame_seconds);

  /// Simulation time owed but not yet stepped, in [0, dt).
  double backlog() const { return accumulator_; }
  double dt() const { return dt_; }
  int max_steps() const { return max_steps_; }

 private:
  double dt_;
  int max_steps_;
  double speed_ = 1.0;
  double accumulator_ = 0.0;
};

}  // namespace view
