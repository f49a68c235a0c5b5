/**
 * A consultation page using {@link HcwRealtimeService}: connection banner, patient waiting room or
 * practitioner waiting list, chat. The service is provided here, so leaving the page disposes it.
 */
import { AsyncPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, type OnInit } from '@angular/core';
import { HcwRealtimeService, provideHcwRealtime } from './hcw-realtime.service';

/** Where this app gets its values; replace with your route params and auth service. */
const session = {
  url: 'https://hcw.example.org',
  consultationId: 42,
  userId: 'patient-42',
  role: 'PATIENT' as const,
  token: async () => (await fetch('/api/realtime-token', { credentials: 'include' })).text(),
};

@Component({
  selector: 'app-consultation',
  imports: [AsyncPipe],
  providers: [provideHcwRealtime(session)],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if ((realtime.connectionState$ | async)?.status === 'reconnecting') {
      <div class="banner">Reconnecting…</div>
    }
    @if (realtime.waitingRoom$ | async; as room) {
      @if (room.phase === 'waiting') {
        <p>You are number {{ room.position }} in the queue.</p>
      }
    }
    @for (patient of (realtime.waitingList$ | async)?.patients; track patient.patientId) {
      <button (click)="realtime.admit(patient.patientId)">Admit {{ patient.firstName ?? patient.patientId }}</button>
    }
    <ul>
      @for (entry of realtime.messages$ | async; track entry.key) {
        <li [class.pending]="entry.status === 'pending'">{{ entry.message.content }}</li>
      }
    </ul>
    <input #draft (keydown.enter)="send(draft.value); draft.value = ''" />
  `,
})
export class ConsultationComponent implements OnInit {
  protected readonly realtime = inject(HcwRealtimeService);

  ngOnInit(): void {
    void this.realtime.enterWaitingRoom();
    void this.realtime.openWaitingList();
  }

  protected send(content: string): void {
    if (content.trim()) void this.realtime.send(content.trim());
  }
}
