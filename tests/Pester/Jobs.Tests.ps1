# Import and export jobs, each Describe against its own sample corp served over loopback HTTP.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    # What -WhatIf wrote to the host, read back from a transcript.
    function Get-WhatIf([scriptblock] $Command) {
        $path = Join-Path $TestDrive "whatif-$([guid]::NewGuid()).txt"
        Start-Transcript -Path $path | Out-Null
        try { & $Command } finally { Stop-Transcript | Out-Null }
        Get-Content $path | Where-Object { $_ -like 'What if:*' }
    }
}

AfterAll {
    if ($script:server) { Stop-TestSandboxServer $script:server }
}

Describe 'Sync-WeComUser' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'syncs a few hundred members from a CSV file and returns one result per row' {
        $csv = Join-Path $TestDrive 'hr.csv'
        1..300 | ForEach-Object {
            [pscustomobject]@{ UserId = 'hr{0:000}' -f $_; Name = "员工$_"; Mobile = '139{0:00000000}' -f $_; Department = '5;8'; Position = '工程师, 后台'; Gender = 'Female' }
        } | Export-Csv $csv -NoTypeInformation -Encoding utf8

        $results = Import-Csv $csv | Sync-WeComUser -Confirm:$false

        $results.Count | Should -Be 300
        $results[0] | Should -BeOfType ([WeComPS.WeComJobResult])
        ($results | Where-Object Status -ne 'Succeeded') | Should -BeNullOrEmpty
        ($results.Action | Sort-Object -Unique) | Should -Be 'Create'
        $member = Get-WeComUser -UserId hr150
        $member.Department | Should -Be @(5, 8)
        $member.Position | Should -BeExactly '工程师, 后台'
        $member.Gender | Should -Be ([WeComPS.WeComGender]::Female)
        (Get-WeComUser -DepartmentId 8).Count | Should -Be 304
    }

    It 'writes an error naming each failed row, and still returns its result' {
        $rows = 'UserId,Name,Mobile,Enable', 'hr001,改名,,0', 'dup.mobile,重复,13900000002,' | ConvertFrom-Csv

        $results = $rows | Sync-WeComUser -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

        $results.Count | Should -Be 2
        ($results | Where-Object UserId -eq 'dup.mobile').ErrCode | Should -Be 60104
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'MobileExists,WeComPS.Commands.SyncWeComUserCommand'
        $err[0].TargetObject | Should -BeExactly 'dup.mobile'
        $hr001 = Get-WeComUser -UserId hr001
        $hr001.Name | Should -BeExactly '改名'
        $hr001.Status | Should -Be ([WeComPS.WeComUserStatus]::Disabled)
    }

    It 'shows under -WhatIf exactly who a replace would delete and create, and sends nothing' {
        $rows = @(Get-WeComUser | Where-Object UserId -notin 'XiaoLiu', 'YuSi' | Select-Object UserId) +
            [pscustomobject]@{ UserId = 'new.hire'; Name = '新同事'; Email = 'new.hire@example.com'; Department = '10' }

        $lines = Get-WhatIf { $rows | Sync-WeComUser -Replace -WhatIf }

        $lines | Should -Contain 'What if: Performing the operation "Delete member" on target "XiaoLiu (萧六)".'
        $lines | Should -Contain 'What if: Performing the operation "Delete member" on target "YuSi (于四)".'
        $lines | Should -Contain 'What if: Performing the operation "Create member" on target "new.hire (新同事)".'
        $lines[0] | Should -Match 'ReplaceUser with 323 member\(s\): create 1, update 322, delete 2 \(deletes 2 of 324 \(limit 32: -MaxDelete 10% \(at least 5\)\)\); deletes XiaoLiu \(萧六\), YuSi \(于四\)'
        $lines.Count | Should -Be 4
        Get-WeComUser -UserId XiaoLiu | Should -Not -BeNullOrEmpty
        Get-WeComUser -UserId new.hire -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'returns the job with -NoWait, and Wait-WeComJob reports the deletions of the replace' {
        $job = Get-WeComUser | Where-Object UserId -ne 'XiaoLiu' | Sync-WeComUser -Replace -NoWait -Confirm:$false

        $job | Should -BeOfType ([WeComPS.WeComJob])
        $job.Type | Should -Be 'ReplaceUser'
        $results = $job | Wait-WeComJob
        $deleted = $results | Where-Object Action -eq 'Delete'
        $deleted.UserId | Should -BeExactly 'XiaoLiu'
        $deleted.Status | Should -Be 'Succeeded'
        (Get-WeComJob -JobId $job.JobId).Status | Should -Be 'Finished'
        Get-WeComUser -UserId XiaoLiu -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'stops a replace that WeCom refuses for deleting too many, explaining its delete protection' {
        # -MaxDelete 100% lifts the module's own limit: WeCom's guard is what stops it here.
        { 'ZhangSan' | ForEach-Object { [pscustomobject]@{ UserId = $_ } } | Sync-WeComUser -Replace -MaxDelete 100% -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReplaceDeleteProtection,WeComPS.Commands.SyncWeComUserCommand'
        try {
            [pscustomobject]@{ UserId = 'ZhangSan' } | Sync-WeComUser -Replace -MaxDelete 100% -Confirm:$false -WarningAction SilentlyContinue -ErrorAction Stop
        }
        catch {
            $_.Exception.ErrCode | Should -Be 45026
            $_.ErrorDetails.RecommendedAction | Should -Match '20%'
        }
        (Get-WeComUser).Count | Should -BeGreaterThan 300
    }

    It 'refuses a replace with an invalid row before anything is sent' {
        $rows = @(Get-WeComUser | Select-Object UserId) + [pscustomobject]@{ UserId = 'no.contact'; Name = '没联系方式' }
        { $rows | Sync-WeComUser -Replace -Confirm:$false -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'ImportInputInvalid,WeComPS.Commands.SyncWeComUserCommand'
    }

    It 'refuses a replace when a row could not be bound, since the replace would delete that member' {
        # ZhangSan's row lost its userid: it cannot bind, and a replace without it would delete him.
        $rows = Get-WeComUser | Select-Object UserId, Name | ForEach-Object { if ($_.UserId -eq 'ZhangSan') { [pscustomobject]@{ Name = $_.Name } } else { $_ } }
        { $rows | Sync-WeComUser -Replace -Confirm:$false -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'ImportInputUnbound,WeComPS.Commands.SyncWeComUserCommand'
        (Get-WeComUser -UserId ZhangSan).Name | Should -BeExactly '张三'
    }

    It 'refuses a replace under -ErrorAction Ignore, which would hide rows that could not be bound' {
        { Get-WeComUser | Select-Object UserId | Sync-WeComUser -Replace -Confirm:$false -ErrorAction Ignore } |
            Should -Throw -ErrorId 'ImportErrorsIgnored,WeComPS.Commands.SyncWeComUserCommand'
    }

    It 'reports an unknown job id' {
        Get-WeComJob -JobId no-such-job -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'JobNotFound,WeComPS.Commands.GetWeComJobCommand'
    }
}

Describe 'Sync-WeComDepartment' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'mirrors the departments piped in and warns about the ones WeCom keeps until they are empty' {
        $tree = Get-WeComDepartment | Where-Object Id -ne 10
        $tree = @($tree) + [pscustomobject]@{ Id = 30; Name = '华南大区'; ParentId = 1 }

        $lines = Get-WhatIf { $tree | Sync-WeComDepartment -WhatIf }
        $lines | Should -Contain 'What if: Performing the operation "Create department (under 1)" on target "华南大区 (30)".'
        $lines | Should -Contain 'What if: Performing the operation "Delete department (once it has no members or sub-departments)" on target "测试部 (10)".'

        $results = $tree | Sync-WeComDepartment -Confirm:$false -WarningVariable warn -WarningAction SilentlyContinue
        ($results | Where-Object DepartmentId -eq 30).Action | Should -Be 'Create'
        ($results | Where-Object DepartmentId -eq 10).Status | Should -Be 'Deferred'
        $warn[0] | Should -Match '测试部 \(10\)'
        (Get-WeComDepartment -Id 30).Path | Should -BeExactly '/广州研发中心/华南大区'
    }
}

Describe 'Export-WeComUser, Export-WeComDepartment and Export-WeComTagUser' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'exports every member as WeComUser objects ready for Export-Csv' {
        $path = Join-Path $TestDrive 'users.csv'

        $users = Export-WeComUser
        $users | Select-Object UserId, Name, @{ n = 'Department'; e = { $_.Department -join ';' } }, Mobile, Status | Export-Csv $path -NoTypeInformation -Encoding utf8

        $users.Count | Should -Be 24
        $users[0] | Should -BeOfType ([WeComPS.WeComUser])
        $rows = Import-Csv $path
        $rows.Count | Should -Be 24
        ($rows | Where-Object UserId -eq 'LiSi').Department | Should -BeExactly '2;5'
        ($rows | Where-Object UserId -eq 'LiSi').Name | Should -BeExactly '李四'
        (Export-WeComUser -Simple | Where-Object UserId -eq 'HanYi').Department | Should -Be @(9, 6)
    }

    It 'exports the department tree and the members of a tag' {
        $departments = Export-WeComDepartment
        $departments.Count | Should -Be 10
        ($departments | Where-Object Id -eq 5).Path | Should -BeExactly '/广州研发中心/邮箱产品部/邮箱后台组'

        $members = Get-WeComTag -Name 技术委员会 | Export-WeComTagUser
        ($members | Where-Object MemberType -eq 'User').UserId | Sort-Object | Should -Be @('HanYi', 'SunQi', 'WangWu')
        ($members | Where-Object MemberType -eq 'Department').DepartmentId | Should -Be 8
    }
}
